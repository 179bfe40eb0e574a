using CoPriv.Models.Graph;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Lowering;

/// <summary>
/// A cleartext convolution algorithm over Z_{2^ℓ}: the exact ring result that a secure convolution protocol must
/// reproduce bit for bit. The default is <see cref="DirectRingConvolution"/> (im2col, as CrypTFlow2 computes it);
/// a Winograd reference can be plugged in through <see cref="FixedPointPolicy.SelectConvolution"/>. An algorithm may
/// return the exact convolution times 2^<see cref="ExtraScaleBits"/> (Winograd F(2×2, 3×3) with G scaled by 2 to stay
/// integral returns 4× the product); the lowering adds those bits to the output scale, so the one truncation after
/// the layer removes them.
/// </summary>
public interface IRingConvolution
{
    /// <summary>A short name for reports ("im2col", "winograd-f2x2-3x3", …).</summary>
    string Name { get; }

    bool Supports(ConvolutionGeometry geometry);

    /// <summary>The power of two by which <see cref="Convolve"/>'s output exceeds the exact convolution.</summary>
    int ExtraScaleBits(ConvolutionGeometry geometry);

    /// <summary>
    /// output[o, y, x] = 2^extra · Σ weights[o, c, u, v] · input[c, y·s + u − pad, x·s + v − pad] mod 2^ℓ (no bias),
    /// on [C, H, W] row-major input and [out, in/groups, kh, kw] weights; every output element reduced to ℓ bits.
    /// </summary>
    void Convolve(Ring ring, ConvolutionGeometry geometry, ReadOnlySpan<ulong> input, ReadOnlySpan<ulong> weights, Span<ulong> output);
}
