using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// out = in + B mod 2^ℓ element by element, B the server's constant (<see cref="Graph.BiasMap"/>) encoded at the
/// input's scale, so the scale stays. Local: the server adds B to its share, the client keeps its own.
/// </summary>
public sealed class RingBiasMap : RingOperation
{
    internal RingBiasMap(string name, string sourceNode, string input, string output, TensorShape shape, int scale, ulong[] values)
        : base(name, sourceNode, [input], output, shape, scale)
    {
        Values = values;
    }

    /// <summary>B at the output scale, row-major like the tensor.</summary>
    public ulong[] Values { get; }

    public override string Kind => "BiasMap";
    public override bool IsLocal => true;

    public override RingOperation WithoutParameters() =>
        new RingBiasMap(Name, SourceNode, Inputs[0], Output, OutputShape, OutputScale, new ulong[Values.Length]);
}
