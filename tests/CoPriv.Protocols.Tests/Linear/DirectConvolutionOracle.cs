using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The test suite's own convolution: the definition, on an explicitly zero-padded copy of the input, with plain
/// nested loops over ring values. It shares no code with the protocols or with <see cref="ConvolutionReference"/>
/// (no im2col, no transform, no stride arithmetic on unpadded indices), so a wrong matrix entry in a transform cannot
/// hide by being wrong in the oracle too.
/// </summary>
internal static class DirectConvolutionOracle
{
    /// <summary>
    /// y[k, i, j] = Σ_{c in k's group} Σ_{a,b} w[k, c, a, b]·x_padded[c, i·stride + a, j·stride + b] mod 2^ℓ, untruncated
    /// (at the scale of weight × input). Weights KCRS, signed; input and output ring elements, NCHW.
    /// </summary>
    public static ulong[] Compute(Ring ring, ConvShape shape, long[] weights, ulong[] input)
    {
        int p = shape.Padding, paddedH = shape.H + 2 * p, paddedW = shape.W + 2 * p;
        var padded = new ulong[shape.C, paddedH, paddedW];
        for (int c = 0; c < shape.C; c++)
            for (int y = 0; y < shape.H; y++)
                for (int x = 0; x < shape.W; x++)
                    padded[c, y + p, x + p] = input[(c * shape.H + y) * shape.W + x];

        int channelsPerGroup = shape.C / shape.Groups, filtersPerGroup = shape.K / shape.Groups;
        int outH = (paddedH - shape.KernelH) / shape.Stride + 1, outW = (paddedW - shape.KernelW) / shape.Stride + 1;
        var output = new ulong[shape.K * outH * outW];
        for (int k = 0; k < shape.K; k++)
        {
            int firstChannel = k / filtersPerGroup * channelsPerGroup;
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++)
                {
                    // Wrapping 64-bit arithmetic is arithmetic mod 2^64, which reduces to mod 2^ℓ at the end.
                    ulong sum = 0;
                    for (int c = 0; c < channelsPerGroup; c++)
                        for (int a = 0; a < shape.KernelH; a++)
                            for (int b = 0; b < shape.KernelW; b++)
                            {
                                long w = weights[((k * channelsPerGroup + c) * shape.KernelH + a) * shape.KernelW + b];
                                sum += unchecked((ulong)w * padded[firstChannel + c, i * shape.Stride + a, j * shape.Stride + b]);
                            }
                    output[(k * outH + i) * outW + j] = sum & ring.Mask;
                }
        }
        return output;
    }

    /// <summary>
    /// The stated error bound of Winograd F(4×4,3×3) before truncation, in ring units at scale 2s + e: every transformed
    /// weight is within ½ of 2^e·(G g Gᵀ), and such an error reaches an output through at most
    /// (C/G)·γ²·max|x| with γ = max_u Σ_i |Aᵀ_ui|·Σ_a |Bᵀ_ia| = 126 for Lavin's F(4,3) matrices (Aᵀ rows
    /// [1,1,1,1,1,0], [0,1,−1,2,−2,0], [0,1,1,4,4,0], [0,1,−1,8,−8,1]; Bᵀ absolute row sums 10, 10, 10, 6, 6, 10), so
    /// |Y' − 2^e·Y| ≤ ½·(C/G)·126²·max|x|.
    /// </summary>
    public static long F4UntruncatedErrorBound(ConvShape shape, long maxAbsInput) =>
        (shape.InputChannelsPerGroup * 126L * 126L * maxAbsInput + 1) / 2;

    /// <summary>The largest |x| of the signed reading of ring values.</summary>
    public static long MaxAbs(Ring ring, ulong[] values) => values.Max(v => Math.Abs(ring.ToSigned(v)));

    /// <summary>Asserts |actual − expected| ≤ bound for each pair, in the signed reading of the ring.</summary>
    public static void AssertWithin(Ring ring, ulong[] expected, ulong[] actual, long bound, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            long difference = ring.ToSigned((actual[i] - expected[i]) & ring.Mask);
            Assert.True(Math.Abs(difference) <= bound,
                $"{what}: output {i} is {difference} away from the direct convolution, the stated bound is {bound}");
        }
    }
}
