using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// What one node of a <see cref="ModelGraph"/> computes, with its parameters (which only the server holds). Operators
/// are immutable; each infers its output shape from its input shapes and rejects inputs it cannot take with an
/// <see cref="InvalidModelException"/> naming the node.
/// </summary>
public abstract class LayerOperator
{
    /// <summary>A short name of the operator kind ("Conv", "BatchNorm", "Relu", …), used in reports.</summary>
    public abstract string Kind { get; }

    /// <summary>How many tensors the operator reads.</summary>
    public virtual int InputCount => 1;

    /// <summary>Trainable parameters (weights, biases, BatchNorm scale and shift; running statistics excluded).</summary>
    public virtual long ParameterCount => 0;

    /// <summary>The output shape for the given input shapes, or an <see cref="InvalidModelException"/> naming <paramref name="node"/>.</summary>
    public abstract TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs);

    private protected static void RequireFeatureMap(string node, TensorShape shape, string what = "input")
    {
        if (!shape.IsFeatureMap)
            throw new InvalidModelException($"node '{node}': {what} must be a [channels, height, width] feature map, got {shape}");
    }

    private protected static void RequireLength(string node, string what, double[]? values, int expected)
    {
        if (values is null)
            throw new InvalidModelException($"node '{node}': {what} is missing");
        if (values.Length != expected)
            throw new InvalidModelException($"node '{node}': {what} has {values.Length} values, expected {expected}");
    }
}
