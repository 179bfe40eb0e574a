using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

public class WinogradTransformTests
{
    private static readonly FixedPoint Fp = new(41, 11);

    [Theory]
    [InlineData(3, 4, 8, 8, 1)]
    [InlineData(5, 7, 9, 11, 1)]
    [InlineData(5, 7, 9, 11, 0)]
    [InlineData(2, 3, 3, 3, 0)]
    [InlineData(4, 4, 7, 6, 2)]
    public void F2_with_G_scaled_by_2_is_exactly_four_times_the_direct_convolution(int c, int k, int h, int w, int padding)
    {
        var shape = new ConvShape(c, k, h, w, padding: padding);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, 11);
        var input = LinearTestData.RingValues(Fp, shape.InputLength, 4.0, 12);
        var direct = DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, input);
        var transform = WinogradTransform.For(WinogradTile.F2x2);
        var winograd = ConvolutionReference.Winograd(Fp.Ring, shape, transform, weights, input);
        Assert.True(transform.IsExact);
        Assert.Equal(direct.Select(y => (y << 2) & Fp.Ring.Mask), winograd);
    }

    [Theory]
    [InlineData(3, 4, 8, 8, 1, 6)]
    [InlineData(5, 7, 9, 11, 1, 10)]
    [InlineData(5, 7, 9, 11, 0, 6)]
    [InlineData(2, 2, 13, 5, 2, 8)]
    public void F4_matrices_are_exact_when_the_weights_absorb_the_factor_nine(int c, int k, int h, int w, int padding, int e)
    {
        // (24G) g (24G)ᵀ / 576 · 2^e is an integer when 9 | g and e ≥ 6, so no rounding happens and the algorithm
        // must reproduce 2^e × the direct convolution exactly: this pins down all three F(4,3) matrices.
        var shape = new ConvShape(c, k, h, w, padding: padding);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << 8, 21).Select(x => 9 * x).ToArray();
        var input = LinearTestData.RingValues(Fp, shape.InputLength, 4.0, 22);
        var direct = DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, input);
        var winograd = ConvolutionReference.Winograd(Fp.Ring, shape, WinogradTransform.For(WinogradTile.F4x4, e), weights, input);
        Assert.Equal(direct.Select(y => (y << e) & Fp.Ring.Mask), winograd);
    }

    [Fact]
    public void F4_weight_transform_rounds_to_nearest_with_ties_away_from_zero()
    {
        var t = WinogradTransform.For(WinogradTile.F4x4, 0);
        var u = new long[36];
        // g = 1 at the centre: U[i, j] = G[i,1]·G[j,1]; G[3,1] = 1/12 → U[3,3] = 1/144 → 0, U[5,5] = 0,
        // with g = 72 at the centre: U[3,3] = 0.5 → 1 and U[3,4] = −0.5 → −1 (ties away from zero).
        var g = new long[9];
        g[4] = 72;
        t.TransformFilter(g, u);
        Assert.Equal(1, u[3 * 6 + 3]);
        Assert.Equal(-1, u[3 * 6 + 4]);
        Assert.Equal(2, u[1 * 6 + 1]); // (−1/6)² · 72 = 2
        Assert.Equal(0, u[0]);         // G[0,1] = 0
    }

    [Theory]
    [InlineData(5, 2)]
    [InlineData(1, 1)]
    public void Winograd_rejects_kernels_other_than_3x3_and_strides_other_than_1(int kernel, int stride)
    {
        var shape = new ConvShape(4, 4, 8, 8, kernel, kernel, stride, 1);
        Assert.False(WinogradConvolutionProtocol.Supports(shape, out var reason));
        var e = Assert.Throws<ArgumentException>(() =>
            WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F2x2, new LinearLayerOptions(Fp)));
        Assert.Contains(kernel != 3 ? "3×3 kernel" : "stride 1", e.Message);
        Assert.Equal(reason, e.Message.Split(" (Parameter")[0]);
    }

    [Fact]
    public void F2_rejects_extra_scale_bits_other_than_two_and_small_rings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => WinogradTransform.For(WinogradTile.F2x2, 3));
        var e = Assert.Throws<ArgumentException>(() =>
            WinogradConvolutionProtocol.ForClient(new ConvShape(2, 2, 4, 4, padding: 1), WinogradTile.F4x4,
                new LinearLayerOptions(new FixedPoint(32, 11)), 10));
        Assert.Contains("ℓ ≥ 2s + e + 2", e.Message);
    }
}
