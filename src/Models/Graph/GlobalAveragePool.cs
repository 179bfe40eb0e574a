using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>Average of each channel over the whole map: [C, H, W] → [C, 1, 1] (ONNX GlobalAveragePool).</summary>
public sealed class GlobalAveragePool : LayerOperator
{
    public static GlobalAveragePool Instance { get; } = new();

    public override string Kind => "GlobalAvgPool";

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        RequireFeatureMap(node, inputs[0]);
        return TensorShape.FeatureMap(inputs[0].Channels, 1, 1);
    }
}
