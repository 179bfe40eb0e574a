using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>Reads a tensor as one vector (row-major), e.g. [C, H, W] → [C·H·W]. Moves no data.</summary>
public sealed class Flatten : LayerOperator
{
    public static Flatten Instance { get; } = new();

    public override string Kind => "Flatten";

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs) =>
        TensorShape.Vector(inputs[0].ElementCount);
}
