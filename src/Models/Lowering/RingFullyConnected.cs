using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// out[o] = Σ_i W[o, i]·in[i] + bias[o] mod 2^ℓ: a (out × in)·(in × 1) matrix product with server weights at
/// <see cref="WeightScale"/>, bias at the output scale (input scale + weight scale).
/// </summary>
public sealed class RingFullyConnected : RingOperation
{
    internal RingFullyConnected(string name, string sourceNode, string input, string output, int inFeatures, int outFeatures,
        ulong[] weights, ulong[]? bias, int inputScale, int weightScale)
        : base(name, sourceNode, [input], output, TensorShape.Vector(outFeatures), inputScale + weightScale)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weights = weights;
        Bias = bias;
        InputScale = inputScale;
        WeightScale = weightScale;
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }

    /// <summary>[out, in] ring elements.</summary>
    public ulong[] Weights { get; }

    public ulong[]? Bias { get; }
    public int InputScale { get; }
    public int WeightScale { get; }

    public override string Kind => "FC";

    public override RingOperation WithoutParameters() => new RingFullyConnected(Name, SourceNode, Inputs[0], Output,
        InFeatures, OutFeatures, new ulong[Weights.Length], Bias is null ? null : new ulong[Bias.Length], InputScale, WeightScale);
}
