using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>max(x, 0) element-wise.</summary>
public sealed class Relu : LayerOperator
{
    public static Relu Instance { get; } = new();

    public override string Kind => "Relu";

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs) => inputs[0];
}
