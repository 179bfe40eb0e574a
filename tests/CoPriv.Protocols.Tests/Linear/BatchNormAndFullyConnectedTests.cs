using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

public class BatchNormAndFullyConnectedTests
{
    private static readonly FixedPoint Fp = new(41, 11);

    [Theory]
    [InlineData(OrientationPolicy.ClientReceives)]
    [InlineData(OrientationPolicy.Cheaper)]
    public void Element_wise_batchnorm_equals_a_times_x_plus_b_bit_for_bit(OrientationPolicy policy)
    {
        const int channels = 3, perChannel = 50;
        var options = new LinearLayerOptions(Fp, policy);
        var scale = LinearTestData.Signed(channels, 4L << Fp.Scale, 71);
        var shift = LinearTestData.Signed(channels, 4L << Fp.Scale, 72);
        var x = LinearTestData.RingValues(Fp, channels * perChannel, 8.0, 73);
        var (xs, xc) = LinearHarness.Share(Fp.Ring, x, 74);
        var server = BatchNormProtocol.ForServer(channels, perChannel, scale, shift, options);
        Assert.Equal(policy == OrientationPolicy.Cheaper ? OtOrientation.ServerReceives : OtOrientation.ClientReceives, server.Orientation);

        var run = LinearHarness.Run(server, BatchNormProtocol.ForClient(channels, perChannel, options), xs, xc, 75);

        Assert.Equal(BatchNormProtocol.Reference(Fp.Ring, Fp.Scale, scale, shift, x), LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client));
        Assert.Equal(server.Cost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    [Theory]
    [InlineData(OrientationPolicy.ClientReceives)]
    [InlineData(OrientationPolicy.ServerReceives)]
    public void Fully_connected_equals_W_x_plus_b_bit_for_bit(OrientationPolicy policy)
    {
        const int inputs = 64, outputs = 10;
        var options = new LinearLayerOptions(Fp, policy);
        var weights = LinearTestData.Signed(inputs * outputs, 1L << Fp.Scale, 81);
        var bias = LinearTestData.Signed(outputs, 1L << Fp.Scale, 82);
        var x = LinearTestData.RingValues(Fp, inputs, 8.0, 83);
        var (xs, xc) = LinearHarness.Share(Fp.Ring, x, 84);
        var server = FullyConnectedProtocol.ForServer(inputs, outputs, weights, bias, options);

        var run = LinearHarness.Run(server, FullyConnectedProtocol.ForClient(inputs, outputs, options), xs, xc, 85);

        var expected = new ulong[outputs];
        RingMatrix.Multiply(Fp.Ring, RingMatrix.FromSigned(Fp.Ring, weights), x, outputs, inputs, 1, expected);
        ConvolutionReference.AddBias(Fp.Ring, bias, Fp.Scale, 1, expected);
        Assert.Equal(expected, LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client));
        Assert.Equal(server.Cost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    [Fact]
    public void Folding_batchnorm_into_the_convolution_stays_within_half_a_unit_per_weight()
    {
        var shape = new ConvShape(4, 5, 6, 6, padding: 1);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, 91);
        var bias = LinearTestData.Signed(shape.K, 1L << Fp.Scale, 92);
        var (scale, shift) = BatchNormFolding.FromStatistics(Fp, [0.5, 1.5, 2.0, 0.9, 1.1], [0.1, -0.2, 0.3, 0, 1],
            [0.5, -1, 0, 2, 0.25], [1, 4, 0.25, 2, 1]);
        Assert.Equal(Fp.Encode(1.5 / Math.Sqrt(4 + 1e-5)), Fp.Ring.FromSigned(scale[1]));
        var (folded, foldedBias) = BatchNormFolding.FoldIntoConvolution(shape, Fp.Scale, weights, bias, scale, shift);

        var rawInput = LinearTestData.Signed(shape.InputLength, 2L << Fp.Scale, 93);
        var x = RingMatrix.FromSigned(Fp.Ring, rawInput);
        // conv → BN in exact integers (scale 3s) against the folded conv (scale 2s), compared at scale 2s.
        var conv = ConvolutionReference.Direct(Fp.Ring, shape, RingMatrix.FromSigned(Fp.Ring, weights), x);
        ConvolutionReference.AddBias(Fp.Ring, bias, Fp.Scale, 36, conv);
        var fused = ConvolutionReference.Direct(Fp.Ring, shape, RingMatrix.FromSigned(Fp.Ring, folded), x);
        ConvolutionReference.AddBias(Fp.Ring, foldedBias, Fp.Scale, 36, fused);
        long inputMass = rawInput.Sum(v => Math.Abs(v)) + (1L << Fp.Scale);
        for (int i = 0; i < conv.Length; i++)
        {
            int k = i / 36;
            Int128 exact = (Int128)Fp.Ring.ToSigned(conv[i]) * scale[k] + ((Int128)shift[k] << (2 * Fp.Scale));
            Int128 got = (Int128)Fp.Ring.ToSigned(fused[i]) << Fp.Scale;
            // Each folded weight (and the bias) is off by at most ½·2^s at scale 3s, times the input it meets.
            Assert.True(Int128.Abs(exact - got) <= ((Int128)inputMass << (Fp.Scale - 1)) + (1 << Fp.Scale),
                $"output {i}: folded {got} vs exact {exact}");
        }
    }

    [Fact]
    public void Residual_add_lifts_the_operand_that_owes_fewer_bits()
    {
        var ring = Fp.Ring;
        var a = new LinearLayerOutput([ring.FromSigned(3), ring.FromSigned(-2)], 0);
        var b = new LinearLayerOutput([ring.FromSigned(5 << 11), ring.FromSigned(7)], 11);
        var sum = LocalLinearOps.ResidualAdd(ring, a, b);
        Assert.Equal(11, sum.PendingShift);
        Assert.Equal([ring.FromSigned((3 << 11) + (5 << 11)), ring.FromSigned((-2 << 11) + 7)], sum.Share);
    }

    [Fact]
    public void Average_pool_sum_adds_each_window_and_reports_the_divisor()
    {
        var ring = new Ring(20);
        var x = Enumerable.Range(0, 2 * 4 * 4).Select(i => (ulong)i).ToArray();
        var pooled = LocalLinearOps.AveragePoolSum(ring, 2, 4, 4, 2, 2, 0, x);
        Assert.Equal(4, pooled.Divisor);
        Assert.Equal((2, 2), (pooled.OutH, pooled.OutW));
        Assert.Equal([0UL + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15, 16 + 17 + 20 + 21, 18 + 19 + 22 + 23,
            24 + 25 + 28 + 29, 26 + 27 + 30 + 31], pooled.Share);
        var global = LocalLinearOps.AveragePoolSum(ring, 2, 4, 4, 4, 1, 0, x);
        Assert.Equal([(ulong)Enumerable.Range(0, 16).Sum(), (ulong)Enumerable.Range(16, 16).Sum()], global.Share);
        Assert.Equal(16, global.Divisor);
    }
}
