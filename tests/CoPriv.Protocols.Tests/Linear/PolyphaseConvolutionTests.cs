using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;
using CoPriv.TestSupport;

namespace CoPriv.Protocols.Tests.Linear;

public class PolyphaseConvolutionTests
{
    private static readonly FixedPoint Fp = new(41, 11);

    [Theory]
    [InlineData(3, 4, 8, 8, 1, 1)]
    [InlineData(5, 7, 9, 11, 1, 1)]
    [InlineData(5, 7, 9, 11, 0, 1)]
    [InlineData(2, 3, 3, 3, 0, 1)]
    [InlineData(2, 3, 4, 3, 0, 1)]
    [InlineData(4, 6, 7, 6, 2, 2)]
    [InlineData(6, 6, 10, 13, 1, 6)]
    [InlineData(1, 1, 1, 1, 1, 1)]
    public void Cleartext_polyphase_equals_the_direct_stride_2_convolution_bit_for_bit(int c, int k, int h, int w, int padding,
        int groups)
    {
        var shape = new ConvShape(c, k, h, w, 3, 3, 2, padding, groups);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, 11);
        var input = LinearTestData.Uniform(Fp.Ring, shape.InputLength, 12);
        var direct = DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, input);
        Assert.Equal(direct, ConvolutionReference.Polyphase(Fp.Ring, shape, weights, input));
    }

    [Fact]
    public void A_tile_has_9_plus_6_plus_6_plus_4_positions_whose_weights_are_the_taps_of_each_parity()
    {
        var t = PolyphaseTransform.Instance;
        Assert.Equal(25, t.Positions);
        // Taps 1..9 row-major: even rows/cols hold taps (0,0) 1, (0,2) 3, (2,0) 7, (2,2) 9.
        long[] g = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var u = new long[25];
        t.TransformFilter(g, u);
        // Even×even, G ⊗ G on [[1,3],[7,9]] with G = [[1,0],[1,1],[0,1]]: rows g0, g0+g1, g1.
        Assert.Equal(new long[] { 1, 4, 3, 8, 20, 12, 7, 16, 9 }, u[..9]);
        // Even rows × odd column (tap column 1: 2, 8): G·[2, 8] repeated over the two odd positions.
        Assert.Equal(new long[] { 2, 2, 10, 10, 8, 8 }, u[9..15]);
        // Odd row (tap row 1: 4, 6) × even columns.
        Assert.Equal(new long[] { 4, 10, 6, 4, 10, 6 }, u[15..21]);
        // Odd × odd: the centre tap at each of the four outputs.
        Assert.Equal(new long[] { 5, 5, 5, 5 }, u[21..]);
    }

    [Theory]
    [InlineData(5, 7, 9, 11, 1, 1, OrientationPolicy.Cheaper)]
    [InlineData(5, 7, 9, 11, 0, 1, OrientationPolicy.ClientReceives)]
    [InlineData(7, 5, 10, 9, 1, 1, OrientationPolicy.ServerReceives)]
    [InlineData(8, 16, 16, 16, 1, 1, OrientationPolicy.Cheaper)]
    [InlineData(8, 16, 16, 16, 1, 1, OrientationPolicy.ServerReceives)]
    [InlineData(4, 6, 7, 6, 2, 2, OrientationPolicy.ClientReceives)]
    [InlineData(6, 6, 8, 8, 1, 6, OrientationPolicy.Cheaper)]
    public void Secure_polyphase_output_equals_the_direct_stride_2_convolution_and_its_bytes_the_cost(int c, int k, int h, int w,
        int padding, int groups, OrientationPolicy policy)
    {
        var shape = new ConvShape(c, k, h, w, 3, 3, 2, padding, groups);
        var options = new LinearLayerOptions(Fp, policy);
        LinearHarness.AssertEqualsDirectConvolution(Fp, shape, 61,
            (weights, bias) => PolyphaseConvolutionProtocol.ForServer(shape, weights, bias, options),
            () => PolyphaseConvolutionProtocol.ForClient(shape, options));
    }

    [HeavyFact]
    public void ResNet18s_first_stage_change_64_to_128_on_32x32_matches_the_direct_convolution_at_25_36ths_of_im2col()
    {
        var shape = new ConvShape(64, 128, 32, 32, 3, 3, 2, 1);
        var options = new LinearLayerOptions(Fp, OrientationPolicy.Cheaper);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, 81);
        var x = LinearTestData.RingValues(Fp, shape.InputLength, 4.0, 82);
        var (xs, xc) = LinearHarness.Share(Fp.Ring, x, 83);

        var server = PolyphaseConvolutionProtocol.ForServer(shape, weights, [], options);
        var run = LinearHarness.Run(server, PolyphaseConvolutionProtocol.ForClient(shape, options), xs, xc, 84);

        Assert.Equal(DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, x),
            LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client));
        var measured = CommunicationCost.Measured(run.ServerMeter, run.ClientMeter);
        Assert.Equal(server.Cost, measured);
        var im2col = ConvolutionProtocol.CostOf(shape, new LinearLayerOptions(Fp, OrientationPolicy.ClientReceives));
        Assert.Equal(25 * LinearProductBytes.Of(im2col), 36 * LinearProductBytes.Of(measured));
    }

    [Fact]
    public void Secure_polyphase_truncated_output_is_the_direct_convolution_shifted_by_s()
    {
        var shape = new ConvShape(4, 8, 9, 9, 3, 3, 2, 1);
        var options = new LinearLayerOptions(Fp, OrientationPolicy.Cheaper);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, 71);
        var x = LinearTestData.RingValues(Fp, shape.InputLength, 4.0, 72);
        var (xs, xc) = LinearHarness.Share(Fp.Ring, x, 73);
        var server = PolyphaseConvolutionProtocol.ForServer(shape, weights, [], options);
        var client = PolyphaseConvolutionProtocol.ForClient(shape, options);

        var run = TwoPartyRunner.Run(
            ch => server.RunTruncated(PartyContext.Create(ch, AesPrg.FromTestSeed(74, 10)), xs),
            ch => client.RunTruncated(PartyContext.Create(ch, AesPrg.FromTestSeed(74, 11)), xc),
            TimeSpan.FromSeconds(60));

        var direct = DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, x);
        Assert.Equal(ConvolutionReference.Truncate(Fp.Ring, direct, Fp.Scale), LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client));
        Assert.Equal(server.TruncatedCost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    [Theory]
    [InlineData(64, 128, 32)]
    [InlineData(128, 256, 16)]
    [InlineData(256, 512, 8)]
    [InlineData(16, 32, 32)]
    [InlineData(32, 64, 16)]
    public void On_even_outputs_the_client_receiver_cost_is_25_36ths_of_im2cols_and_DNN_aware_is_no_more(int c, int k, int size)
    {
        var shape = new ConvShape(c, k, size, size, 3, 3, 2, 1);
        var client = new LinearLayerOptions(Fp, OrientationPolicy.ClientReceives);
        var cheaper = new LinearLayerOptions(Fp, OrientationPolicy.Cheaper);
        long im2col = LinearProductBytes.Of(ConvolutionProtocol.CostOf(shape, client));
        long polyphase = LinearProductBytes.Of(PolyphaseConvolutionProtocol.CostOf(shape, client));
        // Client receiver: C·T·Σ_k(λ + K(ℓ−k)) per product, 25 products on T = OutH·OutW/4 tiles against
        // im2col's one product with 9·C rows on OutH·OutW pixels.
        Assert.Equal(25 * im2col, 36 * polyphase);
        long dnnAware = LinearProductBytes.Of(PolyphaseConvolutionProtocol.CostOf(shape, cheaper));
        Assert.True(dnnAware <= polyphase);
        Assert.True(dnnAware < LinearProductBytes.Of(ConvolutionProtocol.CostOf(shape, cheaper)));
        Assert.Equal(ConvolutionProtocol.CostOf(shape, client).OnlineBytes, PolyphaseConvolutionProtocol.CostOf(shape, cheaper).OnlineBytes);
    }

    [Fact]
    public void Shapes_other_than_3x3_stride_2_are_refused_with_the_reason()
    {
        var options = new LinearLayerOptions(Fp);
        Assert.False(PolyphaseConvolutionProtocol.Supports(new ConvShape(4, 4, 8, 8, padding: 1), out var stride));
        Assert.Contains("stride 2", stride);
        Assert.False(PolyphaseConvolutionProtocol.Supports(new ConvShape(4, 4, 8, 8, 1, 1, 2), out var kernel));
        Assert.Contains("3×3", kernel);
        var ex = Assert.Throws<ArgumentException>(() => PolyphaseConvolutionProtocol.ForClient(new ConvShape(4, 4, 8, 8), options));
        Assert.Contains("stride 2", ex.Message);
        Assert.Throws<ArgumentException>(() => PolyphaseConvolutionProtocol.CostOf(new ConvShape(4, 4, 8, 8, 5, 5, 2), options));
        var shape = new ConvShape(4, 4, 8, 8, 3, 3, 2, 1);
        Assert.Throws<ArgumentException>(() => PolyphaseConvolutionProtocol.ForServer(shape, new long[shape.WeightLength - 1], [], options));
        Assert.Throws<ArgumentException>(() => PolyphaseConvolutionProtocol.ForServer(shape, new long[shape.WeightLength], new long[3], options));
    }
}
