using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// Products whose server operand has a public bit-width B &lt; ℓ: the server, as OT receiver, chooses with B bits per
/// weight (the top one the sign) and the product is still the ring product bit for bit; the cost functions, the
/// orientation policy and the meters agree; an operand that does not fit is refused, never clipped.
/// </summary>
public class BitWidthAwareProductTests
{
    /// <summary>The B-bit extremes and their neighbours, then uniform B-bit values.</summary>
    private static ulong[] ExtremeWeights(Ring ring, int bits, int count, ulong seed)
    {
        long min = -(1L << (bits - 1)), max = (1L << (bits - 1)) - 1;
        long[] extremes = [min, max, 0, 1, -1, min + 1, max - 1];
        var uniform = LinearTestData.Signed(count, max, seed);
        var weights = new ulong[count];
        for (int i = 0; i < count; i++) weights[i] = ring.FromSigned(i < extremes.Length ? Math.Clamp(extremes[i], min, max) : uniform[i]);
        return weights;
    }

    /// <summary>C = A·B mod 2^ℓ by the schoolbook loops, A read as signed.</summary>
    private static ulong[] Reference(Ring ring, ulong[] a, ulong[] b, int d1, int d2, int d3)
    {
        var c = new ulong[d1 * d3];
        for (int i = 0; i < d1; i++)
            for (int k = 0; k < d3; k++)
            {
                ulong sum = 0;
                for (int j = 0; j < d2; j++) sum += (ulong)ring.ToSigned(a[i * d2 + j]) * b[j * d3 + k];
                c[i * d3 + k] = ring.Reduce(sum);
            }
        return c;
    }

    private static TwoPartyResult<ulong[], ulong[]> RunProduct(Ring ring, MatMulShape shape, OtOrientation orientation, int bits,
        ulong[] a, ulong[] b0, ulong[] b1) =>
        TwoPartyRunner.Run(
            ch =>
            {
                var c0 = new ulong[shape.D1 * shape.D3];
                using (ch.Meter.InPhase(Phase.Preprocessing))
                    OtMatMul.RunServer(PartyContext.Create(ch, AesPrg.FromTestSeed(71, 0)), ring, shape, orientation, a, b0, c0, bits);
                return c0;
            },
            ch =>
            {
                var c1 = new ulong[shape.D1 * shape.D3];
                using (ch.Meter.InPhase(Phase.Preprocessing))
                    OtMatMul.RunClient(PartyContext.Create(ch, AesPrg.FromTestSeed(71, 1)), ring, shape, orientation, b1, c1, bits);
                return c1;
            });

    [Theory]
    [InlineData(7, 5, 9, 41, 17, OtOrientation.ServerReceives)]
    [InlineData(7, 5, 9, 41, 17, OtOrientation.ClientReceives)]
    [InlineData(4, 6, 16, 41, 1, OtOrientation.ServerReceives)]
    [InlineData(4, 6, 16, 41, 2, OtOrientation.ServerReceives)]
    [InlineData(3, 40, 2, 64, 20, OtOrientation.ServerReceives)]
    [InlineData(3, 40, 2, 64, 64, OtOrientation.ServerReceives)]
    [InlineData(16, 27, 33, 32, 31, OtOrientation.ServerReceives)]
    [InlineData(16, 27, 33, 32, 31, OtOrientation.ClientReceives)]
    public void Weights_at_the_B_bit_extremes_give_the_exact_ring_product_and_the_cost_is_the_meters(int d1, int d2, int d3, int ell,
        int bits, OtOrientation orientation)
    {
        var ring = new Ring(ell);
        var shape = new MatMulShape(d1, d2, d3);
        var a = ExtremeWeights(ring, bits, d1 * d2, 72);
        var b = LinearTestData.Uniform(ring, d2 * d3, 73);
        var (b0, b1) = LinearHarness.Share(ring, b, 74);

        var run = RunProduct(ring, shape, orientation, bits, a, b0, b1);

        var sum = new ulong[d1 * d3];
        ring.Add(run.Server, run.Client, sum);
        Assert.Equal(Reference(ring, a, b, d1, d2, d3), sum);
        Assert.Equal(OtMatMul.RunCost(OtBackend.Iknp.Costs, shape, ell, orientation, Phase.Preprocessing, bits),
            CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    [Theory]
    [InlineData(16, 16, 256, 17)]
    [InlineData(64, 64, 16, 17)]
    [InlineData(10, 3, 24, 9)]
    public void Server_receiver_cost_is_B_OTs_per_weight_and_the_client_receivers_is_unchanged(int d1, int d2, int d3, int bits)
    {
        const int ell = 41, lambda = 128;
        var shape = new MatMulShape(d1, d2, d3);
        long serverBits = 0;
        for (int k = 0; k < bits; k++) serverBits += lambda + (long)d3 * (ell - k);
        var server = OtMatMul.Cost(OtBackend.Iknp.Costs, shape, ell, OtOrientation.ServerReceives, weightBits: bits);
        Assert.Equal((long)d1 * d2 * serverBits / 8, server.TotalBytes);
        Assert.Equal(OtMatMul.Cost(OtBackend.Iknp.Costs, shape, ell, OtOrientation.ClientReceives),
            OtMatMul.Cost(OtBackend.Iknp.Costs, shape, ell, OtOrientation.ClientReceives, weightBits: bits));
    }

    [Fact]
    public void Cheaper_orientation_counts_B_OTs_per_weight_for_the_server_receiver()
    {
        // ResNet-32 stage 3 under F(2,3): T = 16 < K = 64, so with ℓ OTs per weight the client receives; with 17 the
        // server's 64·64·17 OTs carrying 16 values cost less than the client's 64·16·41 carrying 64.
        var shape = new MatMulShape(64, 64, 16);
        Assert.Equal(OtOrientation.ClientReceives, OtMatMul.Choose(OtBackend.Iknp.Costs, shape, 41, OrientationPolicy.Cheaper));
        Assert.Equal(OtOrientation.ServerReceives, OtMatMul.Choose(OtBackend.Iknp.Costs, shape, 41, OrientationPolicy.Cheaper, 17));
    }

    [Theory]
    [InlineData(OtOrientation.ServerReceives)]
    [InlineData(OtOrientation.ClientReceives)]
    public void A_weight_outside_B_bits_is_refused_naming_the_bits_it_needs(OtOrientation orientation)
    {
        var ring = new Ring(41);
        var shape = new MatMulShape(2, 2, 2);
        var a = new ulong[4];
        a[3] = ring.FromSigned(1L << 16); // needs 18 bits of two's complement
        var e = Assert.Throws<ArgumentException>(() => TwoPartyRunner.Run(
            ch => { OtMatMul.RunServer(PartyContext.Create(ch, AesPrg.FromTestSeed(76, 0)), ring, shape, orientation, a, new ulong[4], new ulong[4], 17); return 0; },
            ch => { PartyContext.Create(ch, AesPrg.FromTestSeed(76, 1)); return 0; }));
        Assert.Contains("need 18 bits of two's complement, more than the weight bit-width B = 17", e.Message);
        a[3] = ring.FromSigned(-(1L << 16)); // −2^16 is the 17-bit minimum: it fits
        Assert.Equal(17, WeightBitWidth.Needed(ring, a));
    }

    [Fact]
    public void A_layer_whose_transformed_weights_do_not_fit_is_refused_in_one_line_naming_it_and_the_bits()
    {
        var fp = new FixedPoint(41, 11);
        var shape = new ConvShape(4, 6, 8, 8, padding: 1);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << fp.Scale, 75);
        var options = new LinearLayerOptions(fp, OrientationPolicy.Cheaper, "layer-07-conv3x3");
        int needed = WinogradConvolutionProtocol.ForServer(shape, WinogradTile.F2x2, weights, [], options).WeightBitsNeeded;
        Assert.True(needed > WeightBitWidth.Needed(weights), "the Winograd transform widens the weights");

        var e = Assert.Throws<ArgumentException>(() => WinogradConvolutionProtocol.ForServer(shape, WinogradTile.F2x2, weights, [],
            options with { WeightBits = needed - 1 }));
        Assert.Equal(
            $"layer-07-conv3x3: the transformed weights need {needed} bits of two's complement, more than the weight bit-width B = {needed - 1}; " +
            $"run with --weight-bits {needed} or more",
            e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(OrientationPolicy.ServerReceives)]
    [InlineData(OrientationPolicy.ClientReceives)]
    [InlineData(OrientationPolicy.Cheaper)]
    public void Winograd_polyphase_and_im2col_layers_with_B_below_ell_are_exact_and_cost_what_they_send(OrientationPolicy policy)
    {
        var fp = new FixedPoint(41, 11);
        var options = new LinearLayerOptions(fp, policy, "bits") { WeightBits = 18 };
        var stride2 = new ConvShape(3, 5, 8, 8, stride: 2, padding: 1);
        LinearHarness.AssertEqualsDirectConvolution(fp, stride2, 82,
            (w, b) => PolyphaseConvolutionProtocol.ForServer(stride2, w, b, options), () => PolyphaseConvolutionProtocol.ForClient(stride2, options));
        var pointwise = new ConvShape(3, 5, 8, 8, kernelH: 1, kernelW: 1);
        LinearHarness.AssertEqualsDirectConvolution(fp, pointwise, 83,
            (w, b) => ConvolutionProtocol.ForServer(pointwise, w, b, options), () => ConvolutionProtocol.ForClient(pointwise, options));

        // F(2,3) comes out at 2^e = 4 times the direct convolution, exactly.
        var stride1 = new ConvShape(3, 5, 8, 8, padding: 1);
        var weights = LinearTestData.Signed(stride1.WeightLength, 1L << fp.Scale, 84);
        var x = LinearTestData.RingValues(fp, stride1.InputLength, 8.0, 85);
        var (xs, xc) = LinearHarness.Share(fp.Ring, x, 86);
        var server = WinogradConvolutionProtocol.ForServer(stride1, WinogradTile.F2x2, weights, [], options);
        var run = LinearHarness.Run(server, WinogradConvolutionProtocol.ForClient(stride1, WinogradTile.F2x2, options), xs, xc, 87);
        var expected = DirectConvolutionOracle.Compute(fp.Ring, stride1, weights, x).Select(y => (y << 2) & fp.Ring.Mask).ToArray();
        Assert.Equal(expected, LinearHarness.Reconstruct(fp.Ring, run.Server, run.Client));
        Assert.Equal(server.Cost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }
}
