using CoPriv.Models.Graph;

namespace CoPriv.Models.Lowering;

/// <summary>
/// out = Conv(in, W) (by <see cref="Algorithm"/>, which may scale by 2^<see cref="ExtraScaleBits"/>) + bias per
/// channel, mod 2^ℓ. Input at <see cref="InputScale"/>, weights at <see cref="WeightScale"/>, output and bias at
/// InputScale + WeightScale + ExtraScaleBits. The server holds <see cref="Weights"/> and <see cref="Bias"/>; in
/// CrypTFlow2 the client's share goes through OT-based matrix products, the server adds the bias to its share.
/// </summary>
public sealed class RingConvolution : RingOperation
{
    internal RingConvolution(string name, string sourceNode, string input, string output, ConvolutionGeometry geometry,
        IRingConvolution algorithm, ulong[] weights, ulong[]? bias, int inputScale, int weightScale)
        : base(name, sourceNode, [input], output, geometry.OutputShape,
            inputScale + weightScale + algorithm.ExtraScaleBits(geometry))
    {
        Geometry = geometry;
        Algorithm = algorithm;
        Weights = weights;
        Bias = bias;
        InputScale = inputScale;
        WeightScale = weightScale;
    }

    public ConvolutionGeometry Geometry { get; }
    public IRingConvolution Algorithm { get; }

    /// <summary>[out, in/groups, kh, kw] ring elements at <see cref="WeightScale"/>.</summary>
    public ulong[] Weights { get; }

    /// <summary>Per output channel at the output scale, or null.</summary>
    public ulong[]? Bias { get; }

    public int InputScale { get; }
    public int WeightScale { get; }
    public int ExtraScaleBits => OutputScale - InputScale - WeightScale;

    public override string Kind => "Conv";

    public override RingOperation WithoutParameters() => new RingConvolution(Name, SourceNode, Inputs[0], Output,
        Geometry, Algorithm, new ulong[Weights.Length], Bias is null ? null : new ulong[Bias.Length], InputScale, WeightScale);
}
