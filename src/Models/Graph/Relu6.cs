using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>min(max(x, 0), 6) element-wise (MobileNetV2's activation; ONNX Clip with min 0, max 6).</summary>
public sealed class Relu6 : LayerOperator
{
    public const double UpperBound = 6.0;

    public static Relu6 Instance { get; } = new();

    public override string Kind => "Relu6";

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs) => inputs[0];
}
