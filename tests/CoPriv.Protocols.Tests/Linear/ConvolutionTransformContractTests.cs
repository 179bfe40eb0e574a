using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The Winograd and polyphase transforms one step at a time, against matrices written out here, and their refusals.
/// The layer tests only see the composition (a transform applied with its sign flipped on both the input and the output
/// cancels out there), so mutation testing found the steps, the bounds and the argument checks unpinned.
/// </summary>
public class ConvolutionTransformContractTests
{
    private static readonly Ring Ring = new(41);

    // Lavin's F(2×2, 3×3) matrices, written out independently of WinogradTransform.
    private static readonly long[,] Bt = { { 1, 0, -1, 0 }, { 0, 1, 1, 0 }, { 0, -1, 1, 0 }, { 0, 1, 0, -1 } };
    private static readonly long[,] At = { { 1, 1, 1, 0 }, { 0, 1, -1, -1 } };

    /// <summary>L (r×n) · X (n×c) · Rᵀ for R (c'×c), all mod 2^ℓ: the sandwich of a 2-D transform.</summary>
    private static ulong[] Sandwich(long[,] left, ulong[] x, int n, long[,] right)
    {
        int r = left.GetLength(0), c = right.GetLength(0);
        var result = new ulong[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
            {
                ulong s = 0;
                for (int a = 0; a < n; a++)
                    for (int b = 0; b < n; b++)
                        s += unchecked((ulong)(left[i, a] * right[j, b]) * x[a * n + b]);
                result[i * c + j] = s & Ring.Mask;
            }
        return result;
    }

    [Fact]
    public void F2_input_transform_of_one_tile_is_Bt_d_B()
    {
        var shape = new ConvShape(1, 1, 4, 4);
        var d = LinearTestData.Uniform(Ring, 16, 81);
        var v = new ulong[16];
        WinogradTransform.For(WinogradTile.F2x2).TransformInput(Ring, shape, d, v);
        Assert.Equal(Sandwich(Bt, d, 4, Bt), v);
    }

    [Fact]
    public void F2_output_transform_of_one_tile_is_At_m_A()
    {
        var shape = new ConvShape(1, 1, 4, 4);
        var m = LinearTestData.Uniform(Ring, 16, 82);
        var y = new ulong[4];
        WinogradTransform.For(WinogradTile.F2x2).TransformOutput(Ring, shape, m, y);
        Assert.Equal(Sandwich(At, m, 4, At), y);
    }

    [Fact]
    public void F4_error_bound_is_the_ceiling_of_half_C_gamma_squared_max_over_2_to_the_s_plus_e()
    {
        var f4 = WinogradTransform.For(WinogradTile.F4x4, 10);
        var shape = new ConvShape(2, 2, 8, 8, padding: 1);
        var format = new FixedPoint(41, 11);
        // ½·2·126²·2^22 / 2^21 = 2·126² exactly; and ½·2·126²·1 / 2^21 rounds up to 1.
        Assert.Equal(2 * 126 * 126, f4.ErrorBoundUlps(shape, format, 1L << 22));
        Assert.Equal(1, f4.ErrorBoundUlps(shape, format, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => f4.ErrorBoundUlps(shape, format, -1));
    }

    [Fact]
    public void Transformed_weights_beyond_64_bits_overflow_instead_of_wrapping()
    {
        var g = new long[9];
        g[8] = 1L << 58;   // F(4,3) at e = 10: U'[5,5] = 2^10 · 2^58
        Assert.Throws<OverflowException>(() => WinogradTransform.For(WinogradTile.F4x4, 10).TransformFilter(g, new long[36]));
        var taps = Enumerable.Repeat(1L << 62, 9).ToArray();   // polyphase: the (even, even) middle position sums four taps
        Assert.Throws<OverflowException>(() => PolyphaseTransform.Instance.TransformFilter(taps, new long[25]));
    }

    [Theory]
    [InlineData("winograd filter g", "a 3×3 filter has 9 values, got 8")]
    [InlineData("winograd filter u", "U has 16 values, got 15")]
    [InlineData("winograd input v", "the transformed input has 15 elements, expected 16")]
    [InlineData("winograd products m", "the products have 15 elements, expected 16")]
    [InlineData("winograd output", "the output has 3 elements, expected 4")]
    [InlineData("polyphase filter g", "a 3×3 filter has 9 values, got 8")]
    [InlineData("polyphase filter u", "U has 25 values, got 24")]
    [InlineData("polyphase weights count", "expects K·(C/G)·kh·kw = 9 (KCRS)")]
    [InlineData("polyphase weights kernel", "the polyphase convolution needs a 3×3 kernel")]
    [InlineData("polyphase input kernel", "the polyphase convolution needs a 3×3 kernel")]
    [InlineData("polyphase input length", "the input has 15 elements")]
    [InlineData("polyphase input v", "the transformed input has 24 elements, expected 25")]
    [InlineData("polyphase output kernel", "the polyphase convolution needs a 3×3 kernel")]
    [InlineData("polyphase products m", "the products have 24 elements, expected 25")]
    [InlineData("polyphase output", "the output has 3 elements, expected 4")]
    [InlineData("reference direct weights", "expects K·(C/G)·kh·kw = 9 (KCRS)")]
    [InlineData("reference direct input", "the input has 15 elements")]
    [InlineData("reference winograd", "Winograd F(m×m,3×3) needs a 3×3 kernel")]
    [InlineData("reference polyphase", "the polyphase convolution needs a 3×3 kernel")]
    [InlineData("reference bias", "2 bias values × 4 per channel does not cover 4 outputs")]
    public void Transforms_and_references_refuse_wrong_sizes_and_shapes(string call, string expected)
    {
        var winograd = WinogradTransform.For(WinogradTile.F2x2);
        var polyphase = PolyphaseTransform.Instance;
        var f2Tile = new ConvShape(1, 1, 4, 4);                         // one F(2,2) tile: 16 positions, 4 outputs
        var stride2 = new ConvShape(1, 1, 4, 4, stride: 2, padding: 1);  // one polyphase tile: 25 positions, 4 outputs
        var pointwise = new ConvShape(1, 1, 4, 4, kernelH: 1, kernelW: 1, stride: 2);
        var e = Assert.Throws<ArgumentException>(() =>
        {
            switch (call)
            {
                case "winograd filter g": winograd.TransformFilter(new long[8], new long[16]); break;
                case "winograd filter u": winograd.TransformFilter(new long[9], new long[15]); break;
                case "winograd input v": winograd.TransformInput(Ring, f2Tile, new ulong[16], new ulong[15]); break;
                case "winograd products m": winograd.TransformOutput(Ring, f2Tile, new ulong[15], new ulong[4]); break;
                case "winograd output": winograd.TransformOutput(Ring, f2Tile, new ulong[16], new ulong[3]); break;
                case "polyphase filter g": polyphase.TransformFilter(new long[8], new long[25]); break;
                case "polyphase filter u": polyphase.TransformFilter(new long[9], new long[24]); break;
                case "polyphase weights count": polyphase.TransformWeights(Ring, stride2, new long[8]); break;
                case "polyphase weights kernel": polyphase.TransformWeights(Ring, pointwise, new long[1]); break;
                case "polyphase input kernel": polyphase.TransformInput(Ring, pointwise, new ulong[16], new ulong[25]); break;
                case "polyphase input length": polyphase.TransformInput(Ring, stride2, new ulong[15], new ulong[25]); break;
                case "polyphase input v": polyphase.TransformInput(Ring, stride2, new ulong[16], new ulong[24]); break;
                case "polyphase output kernel": polyphase.TransformOutput(Ring, pointwise, new ulong[25], new ulong[4]); break;
                case "polyphase products m": polyphase.TransformOutput(Ring, stride2, new ulong[24], new ulong[4]); break;
                case "polyphase output": polyphase.TransformOutput(Ring, stride2, new ulong[25], new ulong[3]); break;
                case "reference direct weights": ConvolutionReference.Direct(Ring, stride2, new ulong[8], new ulong[16]); break;
                case "reference direct input": ConvolutionReference.Direct(Ring, stride2, new ulong[9], new ulong[15]); break;
                case "reference winograd": ConvolutionReference.Winograd(Ring, pointwise, winograd, new long[1], new ulong[16]); break;
                case "reference polyphase": ConvolutionReference.Polyphase(Ring, pointwise, new long[1], new ulong[16]); break;
                default: ConvolutionReference.AddBias(Ring, [1, 2], 0, 4, new ulong[4]); break;
            }
        });
        Assert.Contains(expected, e.Message);
    }

    /// <summary>A kernel that is 3 on one axis only is not 3×3: each axis alone must refuse.</summary>
    [Theory]
    [InlineData(3, 1)]
    [InlineData(1, 3)]
    [InlineData(3, 5)]
    [InlineData(5, 3)]
    public void A_kernel_that_is_3_on_one_axis_only_is_not_supported(int kernelH, int kernelW)
    {
        Assert.False(WinogradConvolutionProtocol.Supports(new ConvShape(2, 2, 8, 8, kernelH, kernelW, padding: 2), out var winograd));
        Assert.Contains("needs a 3×3 kernel", winograd);
        Assert.False(PolyphaseTransform.Supports(new ConvShape(2, 2, 8, 8, kernelH, kernelW, stride: 2, padding: 2), out var polyphase));
        Assert.Contains("needs a 3×3 kernel", polyphase);
    }
}
