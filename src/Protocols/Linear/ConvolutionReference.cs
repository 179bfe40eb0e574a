using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// Cleartext fixed-point references for the linear layers, in exact ring arithmetic: what the secure protocols
/// must reproduce bit for bit once the shares are added up. Used by tests and by the benchmarks' correctness check.
/// </summary>
public static class ConvolutionReference
{
    /// <summary>
    /// Direct convolution (cross-correlation, as CNNs use it) mod 2^ℓ, untruncated: output (K×OutH×OutW) at the
    /// scale of weight × input. Weights are KCRS ring elements.
    /// </summary>
    public static ulong[] Direct(Ring ring, ConvShape shape, ReadOnlySpan<ulong> weights, ReadOnlySpan<ulong> input)
    {
        CheckWeights(shape, weights.Length);
        if (input.Length != shape.InputLength)
            throw new ArgumentException($"the input has {input.Length} elements, {shape} expects {shape.InputLength}");
        var output = new ulong[shape.OutputLength];
        int cg = shape.InputChannelsPerGroup, kg = shape.OutputChannelsPerGroup;
        int kh = shape.KernelH, kw = shape.KernelW, outH = shape.OutH, outW = shape.OutW;
        for (int k = 0; k < shape.K; k++)
        {
            int g = k / kg;
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    ulong sum = 0;
                    for (int c = 0; c < cg; c++)
                    {
                        int plane = (g * cg + c) * shape.H * shape.W;
                        for (int u = 0; u < kh; u++)
                        {
                            int y = oy * shape.Stride - shape.Padding + u;
                            if ((uint)y >= (uint)shape.H) continue;
                            for (int v = 0; v < kw; v++)
                            {
                                int x = ox * shape.Stride - shape.Padding + v;
                                if ((uint)x >= (uint)shape.W) continue;
                                sum += weights[((k * cg + c) * kh + u) * kw + v] * input[plane + y * shape.W + x];
                            }
                        }
                    }
                    output[(k * outH + oy) * outW + ox] = sum & ring.Mask;
                }
            }
        }
        return output;
    }

    /// <summary>
    /// The Winograd algorithm in cleartext, exactly as the protocol computes it on shares: U' from the weights, V from
    /// the input, α²·G products M = U'·V, output transform. Result at scale weight × input × 2^e, untruncated; for
    /// an exact transform it is 2^e × <see cref="Direct"/>.
    /// </summary>
    public static ulong[] Winograd(Ring ring, ConvShape shape, WinogradTransform transform, ReadOnlySpan<long> weights,
        ReadOnlySpan<ulong> input)
    {
        if (!WinogradConvolutionProtocol.Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
        return TransformDomainProducts.Cleartext(ring, shape, transform, transform.TransformWeights(ring, shape, weights), input);
    }

    /// <summary>
    /// The polyphase stride-2 algorithm in cleartext, exactly as <see cref="PolyphaseConvolutionProtocol"/> computes
    /// it on shares. Untransformed and unscaled: it equals <see cref="Direct"/> bit for bit.
    /// </summary>
    public static ulong[] Polyphase(Ring ring, ConvShape shape, ReadOnlySpan<long> weights, ReadOnlySpan<ulong> input)
    {
        if (!PolyphaseTransform.Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
        var transform = PolyphaseTransform.Instance;
        return TransformDomainProducts.Cleartext(ring, shape, transform, transform.TransformWeights(ring, shape, weights), input);
    }

    /// <summary>
    /// Adds a per-channel bias given at the fixed-point scale s to values at scale s + shift: bias · 2^shift.
    /// </summary>
    public static void AddBias(Ring ring, ReadOnlySpan<long> bias, int shift, int valuesPerChannel, Span<ulong> values)
    {
        if ((long)bias.Length * valuesPerChannel != values.Length)
            throw new ArgumentException(
                $"{bias.Length} bias values × {valuesPerChannel} per channel does not cover {values.Length} outputs");
        for (int k = 0; k < bias.Length; k++)
        {
            ulong b = ring.FromSigned(bias[k]) << shift;
            var channel = values.Slice(k * valuesPerChannel, valuesPerChannel);
            for (int i = 0; i < channel.Length; i++) channel[i] = (channel[i] + b) & ring.Mask;
        }
    }

    /// <summary>Exact signed floor(x / 2^shift) of every reconstructed value: what faithful truncation yields.</summary>
    public static ulong[] Truncate(Ring ring, ReadOnlySpan<ulong> values, int shift)
    {
        var dst = new ulong[values.Length];
        ring.ShiftRightArithmetic(values, shift, dst);
        return dst;
    }

    internal static void CheckWeights(ConvShape shape, int length)
    {
        if (length != shape.WeightLength)
            throw new ArgumentException(
                $"the weights have {length} elements, {shape} expects K·(C/G)·kh·kw = {shape.WeightLength} (KCRS)");
    }
}
