using CoPriv.Models.Graph;

namespace CoPriv.Models.Optimization;

/// <summary>
/// A convolution with the BatchNorms after it folded in (W'[o] = m_o·W[o], b'_o = m_o·b_o + a_o), in double
/// precision; the geometry stays the original operator's. What <see cref="InvertedResidualMerging"/> composes.
/// </summary>
internal sealed class AffineConvolution
{
    private AffineConvolution(Convolution op, double[] weights, double[] bias)
    {
        Operator = op;
        Weights = weights;
        Bias = bias;
    }

    /// <summary>The convolution whose kernel, stride, padding and groups these weights have.</summary>
    public Convolution Operator { get; }

    /// <summary>[out, in / groups, kh, kw], row-major, BatchNorms folded.</summary>
    public double[] Weights { get; }

    /// <summary>One value per output channel (zeros when the convolution had no bias and no BatchNorm followed).</summary>
    public double[] Bias { get; }

    public int Channels => Operator.OutChannels;

    public int Taps => Operator.KernelHeight * Operator.KernelWidth;

    public bool IsPointwise => Operator is { KernelHeight: 1, KernelWidth: 1, StrideHeight: 1, StrideWidth: 1, Groups: 1, Padding.IsZero: true };

    public bool IsDepthwise => ActivationBlocks.IsDepthwise(Operator);

    public static AffineConvolution Of(Convolution conv) =>
        new(conv, (double[])conv.Weights.Clone(), conv.Bias is { } bias ? (double[])bias.Clone() : new double[conv.OutChannels]);

    /// <summary>The 1×1 identity on <paramref name="channels"/> channels: a block without an expand.</summary>
    public static AffineConvolution Identity(int channels)
    {
        var weights = new double[channels * channels];
        for (int c = 0; c < channels; c++) weights[c * channels + c] = 1;
        return Of(new Convolution(channels, channels, 1, 1, weights));
    }

    /// <summary>This convolution followed by <paramref name="bn"/>.</summary>
    public AffineConvolution Then(BatchNormalization bn)
    {
        var weights = (double[])Weights.Clone();
        var bias = new double[Channels];
        int perChannel = weights.Length / Channels;
        for (int o = 0; o < Channels; o++)
        {
            double m = bn.Multiplier(o);
            for (int i = o * perChannel; i < (o + 1) * perChannel; i++) weights[i] *= m;
            bias[o] = m * Bias[o] + bn.Shift(o);
        }
        return new AffineConvolution(Operator, weights, bias);
    }
}
