using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>Element-wise sum of two tensors of the same shape (the residual connection).</summary>
public sealed class Add : LayerOperator
{
    public static Add Instance { get; } = new();

    public override string Kind => "Add";

    public override int InputCount => 2;

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        if (inputs[0] != inputs[1])
            throw new InvalidModelException($"node '{node}': cannot add tensors of shapes {inputs[0]} and {inputs[1]}");
        return inputs[0];
    }
}
