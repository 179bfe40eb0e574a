using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

public class ConvolutionProtocolTests
{
    private static readonly FixedPoint Fp = new(41, 11);

    [Theory]
    [InlineData(5, 7, 9, 11, 3, 1, 1, 1, OrientationPolicy.ClientReceives)]
    [InlineData(5, 7, 9, 11, 3, 2, 0, 1, OrientationPolicy.ServerReceives)]
    [InlineData(5, 7, 9, 11, 3, 2, 1, 1, OrientationPolicy.Cheaper)]
    [InlineData(6, 6, 8, 8, 3, 1, 1, 6, OrientationPolicy.ClientReceives)]
    [InlineData(4, 8, 6, 6, 1, 1, 0, 2, OrientationPolicy.ServerReceives)]
    public void Secure_im2col_output_equals_the_direct_convolution_bit_for_bit(int c, int k, int h, int w, int kernel,
        int stride, int padding, int groups, OrientationPolicy policy)
    {
        var shape = new ConvShape(c, k, h, w, kernel, kernel, stride, padding, groups);
        var options = new LinearLayerOptions(Fp, policy);
        LinearHarness.AssertEqualsDirectConvolution(Fp, shape, 41,
            (weights, bias) => ConvolutionProtocol.ForServer(shape, weights, bias, options),
            () => ConvolutionProtocol.ForClient(shape, options));
    }

    [Theory]
    [InlineData(5, 7, 9, 11, 1, WinogradTile.F2x2, OrientationPolicy.Cheaper)]
    [InlineData(5, 7, 9, 11, 0, WinogradTile.F2x2, OrientationPolicy.ClientReceives)]
    [InlineData(5, 7, 9, 11, 1, WinogradTile.F4x4, OrientationPolicy.ServerReceives)]
    [InlineData(4, 4, 7, 10, 2, WinogradTile.F4x4, OrientationPolicy.Cheaper)]
    public void Secure_winograd_output_is_2_to_the_e_times_the_direct_convolution_exact_for_F2_and_within_the_stated_bound_for_F4(int c, int k, int h, int w, int padding,
        WinogradTile tile, OrientationPolicy policy)
    {
        var shape = new ConvShape(c, k, h, w, padding: padding);
        var options = new LinearLayerOptions(Fp, policy);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, 51);
        var bias = LinearTestData.Signed(shape.K, 1L << Fp.Scale, 52);
        var x = LinearTestData.RingValues(Fp, shape.InputLength, 8.0, 53);
        var (xs, xc) = LinearHarness.Share(Fp.Ring, x, 54);

        var server = WinogradConvolutionProtocol.ForServer(shape, tile, weights, bias, options);
        var run = LinearHarness.Run(server, WinogradConvolutionProtocol.ForClient(shape, tile, options), xs, xc, 55);

        int e = server.Transform.ExtraScaleBits;
        var expected = DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, x).Select(y => (y << e) & Fp.Ring.Mask).ToArray();
        ConvolutionReference.AddBias(Fp.Ring, bias, server.PendingShift, shape.OutH * shape.OutW, expected);
        Assert.Equal(Fp.Scale + e, run.Server.PendingShift);
        long bound = tile == WinogradTile.F2x2 ? 0 : DirectConvolutionOracle.F4UntruncatedErrorBound(shape, DirectConvolutionOracle.MaxAbs(Fp.Ring, x));
        DirectConvolutionOracle.AssertWithin(Fp.Ring, expected, LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client), bound, $"{tile} on {shape}");
        Assert.Equal(server.Cost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }
}
