using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// The server's plaintext BatchNorm arithmetic: the per-channel affine map y = a·x + b from the trained statistics,
/// and its folding into the preceding convolution (W'_k = a_k·W_k, b'_k = a_k·b_k + b_k^BN), so that the
/// BatchNorm costs nothing at inference. No party but the server is involved.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>
    /// a = γ/√(σ² + ε) and b = β − μ·a, encoded in fixed point: the server's inputs to <see cref="BatchNormProtocol"/>
    /// and <see cref="FoldIntoConvolution"/>.
    /// </summary>
    public static (long[] Scale, long[] Shift) FromStatistics(FixedPoint format, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, double epsilon = 1e-5)
    {
        int c = gamma.Length;
        if (beta.Length != c || mean.Length != c || variance.Length != c)
            throw new ArgumentException($"BatchNorm statistics must have one value per channel: γ {c}, β {beta.Length}, μ {mean.Length}, σ² {variance.Length}");
        var scale = new long[c];
        var shift = new long[c];
        for (int i = 0; i < c; i++)
        {
            if (variance[i] + epsilon <= 0)
                throw new ArgumentException($"channel {i}: σ² + ε = {variance[i] + epsilon} is not positive");
            double a = gamma[i] / Math.Sqrt(variance[i] + epsilon);
            scale[i] = format.Ring.ToSigned(format.Encode(a));
            shift[i] = format.Ring.ToSigned(format.Encode(beta[i] - mean[i] * a));
        }
        return (scale, shift);
    }

    /// <summary>
    /// Folds y = a·conv(x) + b into the convolution's fixed-point weights and bias (both at scale s):
    /// W' = round(a·W / 2^s), b' = round(a·b_conv / 2^s) + b, rounding to nearest with ties away from zero.
    /// Each folded weight is off the exact product by at most ½ unit of 2^−s.
    /// </summary>
    public static (long[] Weights, long[] Bias) FoldIntoConvolution(ConvShape shape, int scaleBits, ReadOnlySpan<long> weights,
        ReadOnlySpan<long> bias, ReadOnlySpan<long> scale, ReadOnlySpan<long> shift)
    {
        ConvolutionReference.CheckWeights(shape, weights.Length);
        if (!bias.IsEmpty && bias.Length != shape.K)
            throw new ArgumentException($"the bias has {bias.Length} values, {shape} has K = {shape.K} output channels");
        if (scale.Length != shape.K || shift.Length != shape.K)
            throw new ArgumentException($"BatchNorm after {shape} needs {shape.K} scales and shifts, got {scale.Length} and {shift.Length}");
        int perChannel = shape.WeightLength / shape.K;
        var folded = new long[weights.Length];
        var foldedBias = new long[shape.K];
        for (int k = 0; k < shape.K; k++)
        {
            for (int i = 0; i < perChannel; i++)
                folded[k * perChannel + i] = RescaledProduct(weights[k * perChannel + i], scale[k], scaleBits);
            foldedBias[k] = (bias.IsEmpty ? 0 : RescaledProduct(bias[k], scale[k], scaleBits)) + shift[k];
        }
        return (folded, foldedBias);
    }

    /// <summary>round(x·y / 2^s), ties away from zero, exact in 128 bits.</summary>
    private static long RescaledProduct(long x, long y, int scaleBits)
    {
        Int128 p = (Int128)x * y;
        Int128 half = scaleBits == 0 ? 0 : (Int128)1 << (scaleBits - 1);
        Int128 q = p >= 0 ? (p + half) >> scaleBits : -((-p + half) >> scaleBits);
        return checked((long)q);
    }
}
