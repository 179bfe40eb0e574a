using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>Convolutions followed by their one faithful truncation, end to end, against the truncated references.</summary>
public class TruncatedConvolutionTests
{
    private static readonly FixedPoint Fp = new(41, 11);

    private static TwoPartyResult<LinearLayerOutput, LinearLayerOutput> RunTruncated(LinearLayerProtocol server,
        LinearLayerProtocol client, ulong[] x, ulong seed)
    {
        var (xs, xc) = LinearHarness.Share(Fp.Ring, x, seed);
        return TwoPartyRunner.Run(
            ch => server.RunTruncated(PartyContext.Create(ch, AesPrg.FromTestSeed(seed, 1)), xs),
            ch => client.RunTruncated(PartyContext.Create(ch, AesPrg.FromTestSeed(seed, 2)), xc));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(0, 2)]
    public void Im2col_then_truncation_equals_the_direct_convolution_shifted_by_s(int padding, int stride)
    {
        var shape = new ConvShape(5, 7, 9, 11, 3, 3, stride, padding);
        var options = new LinearLayerOptions(Fp);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, 111);
        var bias = LinearTestData.Signed(shape.K, 1L << Fp.Scale, 112);
        var x = LinearTestData.RingValues(Fp, shape.InputLength, 4.0, 113);
        var server = ConvolutionProtocol.ForServer(shape, weights, bias, options);

        var run = RunTruncated(server, ConvolutionProtocol.ForClient(shape, options), x, 114);

        var exact = DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, x);
        ConvolutionReference.AddBias(Fp.Ring, bias, Fp.Scale, shape.OutH * shape.OutW, exact);
        Assert.Equal(ConvolutionReference.Truncate(Fp.Ring, exact, Fp.Scale), LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client));
        Assert.Equal(server.TruncatedCost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Winograd_F2_then_one_truncation_by_s_plus_2_equals_the_direct_convolution_shifted_by_s(int padding)
    {
        var shape = new ConvShape(5, 7, 9, 11, padding: padding);
        var options = new LinearLayerOptions(Fp, OrientationPolicy.Cheaper);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, 121);
        var x = LinearTestData.RingValues(Fp, shape.InputLength, 4.0, 122);
        var server = WinogradConvolutionProtocol.ForServer(shape, WinogradTile.F2x2, weights, [], options);
        Assert.Equal(Fp.Scale + 2, server.PendingShift);

        var run = RunTruncated(server, WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F2x2, options), x, 123);

        var direct = DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, x);
        Assert.Equal(ConvolutionReference.Truncate(Fp.Ring, direct, Fp.Scale), LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client));
        Assert.Equal(server.TruncatedCost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    [Fact]
    public void Winograd_F4_then_truncation_stays_within_the_stated_bound_of_the_direct_convolution()
    {
        var shape = new ConvShape(6, 5, 10, 9, padding: 1);
        var options = new LinearLayerOptions(Fp, OrientationPolicy.Cheaper);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << (Fp.Scale - 1), 131);
        var x = LinearTestData.RingValues(Fp, shape.InputLength, 1.0, 132);
        var server = WinogradConvolutionProtocol.ForServer(shape, WinogradTile.F4x4, weights, [], options);

        var run = RunTruncated(server, WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F4x4, options), x, 133);

        var secure = LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client);
        var direct = ConvolutionReference.Truncate(Fp.Ring, DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, x), Fp.Scale);
        // Before truncation |Y' − 2^e·Y| ≤ ½·(C/G)·126²·max|x|; the truncations by s + e and s turn that into at most its
        // ceiling over 2^{s+e} ulps: ⌈½·6·126²·2^11 / 2^21⌉ = 47 here, and the protocol states the same bound.
        long bound = (DirectConvolutionOracle.F4UntruncatedErrorBound(shape, 1L << Fp.Scale) + (1L << (Fp.Scale + 10)) - 1) >> (Fp.Scale + 10);
        Assert.Equal(47, bound);
        Assert.Equal(bound, server.Transform.ErrorBoundUlps(shape, Fp, maxAbsInput: 1L << Fp.Scale));
        DirectConvolutionOracle.AssertWithin(Fp.Ring, direct, secure, bound, "F(4,3) truncated");
        Assert.Equal(server.TruncatedCost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }
}
