using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;
using CoPriv.TestSupport;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The shape list: every protocol's secure output equals the test's own direct convolution bit for bit (scaled
/// by 2^e for Winograd; F(4,3) within its stated bound) and its bytes
/// equal the cost function, for padding 0 and 1, stride 1 and 2 (im2col; polyphase for stride 2) and depthwise. The small shape runs by
/// default; the layer shapes of ResNet-32 are heavy.
/// </summary>
public class ConvolutionAcceptanceTests
{
    private static readonly FixedPoint Fp = new(41, 11);

    public enum Algorithm { Im2col, WinogradF2, WinogradF4, Polyphase }

    private static void Check(ConvShape shape, Algorithm algorithm, OrientationPolicy policy, ulong seed)
    {
        var options = new LinearLayerOptions(Fp, policy);
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << Fp.Scale, seed);
        var x = LinearTestData.RingValues(Fp, shape.InputLength, 4.0, seed + 1);
        var (xs, xc) = LinearHarness.Share(Fp.Ring, x, seed + 2);
        var direct = DirectConvolutionOracle.Compute(Fp.Ring, shape, weights, x);
        LinearLayerProtocol server, client;
        // The output is 2^extraBits × the direct convolution: exactly, except for F(4,3)'s rounded weights, which
        // may move it by at most the stated bound.
        int extraBits = 0;
        long bound = 0;
        switch (algorithm)
        {
            case Algorithm.Im2col:
                server = ConvolutionProtocol.ForServer(shape, weights, [], options);
                client = ConvolutionProtocol.ForClient(shape, options);
                break;
            case Algorithm.Polyphase:
                server = PolyphaseConvolutionProtocol.ForServer(shape, weights, [], options);
                client = PolyphaseConvolutionProtocol.ForClient(shape, options);
                break;
            default:
                var tile = algorithm == Algorithm.WinogradF2 ? WinogradTile.F2x2 : WinogradTile.F4x4;
                var w = WinogradConvolutionProtocol.ForServer(shape, tile, weights, [], options);
                server = w;
                client = WinogradConvolutionProtocol.ForClient(shape, tile, options);
                extraBits = w.Transform.ExtraScaleBits;
                if (tile == WinogradTile.F4x4) bound = DirectConvolutionOracle.F4UntruncatedErrorBound(shape, DirectConvolutionOracle.MaxAbs(Fp.Ring, x));
                break;
        }
        var run = LinearHarness.Run(server, client, xs, xc, seed + 3);
        var expected = direct.Select(y => (y << extraBits) & Fp.Ring.Mask).ToArray();
        DirectConvolutionOracle.AssertWithin(Fp.Ring, expected, LinearHarness.Reconstruct(Fp.Ring, run.Server, run.Client), bound,
            $"{algorithm} on {shape} ({policy})");
        Assert.Equal(server.Cost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    /// <summary>
    /// All cases of one (C, K, H, W): im2col with padding 0/1 × stride 1/2, Winograd F2/F4 and polyphase (stride 2) with
    /// padding 0/1, depthwise.
    /// </summary>
    private static IEnumerable<(ConvShape Shape, Algorithm Algorithm, OrientationPolicy Policy)> Cases(int c, int k, int h, int w)
    {
        foreach (int padding in new[] { 0, 1 })
        {
            foreach (int stride in new[] { 1, 2 })
                yield return (new ConvShape(c, k, h, w, 3, 3, stride, padding), Algorithm.Im2col, OrientationPolicy.ClientReceives);
            yield return (new ConvShape(c, k, h, w, padding: padding), Algorithm.WinogradF2, OrientationPolicy.Cheaper);
            yield return (new ConvShape(c, k, h, w, padding: padding), Algorithm.WinogradF4, OrientationPolicy.Cheaper);
            yield return (new ConvShape(c, k, h, w, 3, 3, 2, padding), Algorithm.Polyphase, OrientationPolicy.Cheaper);
        }
        yield return (new ConvShape(c, c, h, w, 3, 3, 1, 1, c), Algorithm.Im2col, OrientationPolicy.Cheaper);
        yield return (new ConvShape(c, c, h, w, 3, 3, 2, 1, c), Algorithm.Im2col, OrientationPolicy.ClientReceives);
        yield return (new ConvShape(c, c, h, w, 3, 3, 1, 1, c), Algorithm.WinogradF2, OrientationPolicy.Cheaper);
        yield return (new ConvShape(c, c, h, w, 3, 3, 2, 1, c), Algorithm.Polyphase, OrientationPolicy.Cheaper);
    }

    public static TheoryData<int> SmallShapeCases() => new(Enumerable.Range(0, Cases(5, 7, 9, 11).Count()));

    [Theory]
    [MemberData(nameof(SmallShapeCases))]
    public void Shape_5_7_9_11_matches_the_direct_convolution(int caseIndex)
    {
        var (shape, algorithm, policy) = Cases(5, 7, 9, 11).ElementAt(caseIndex);
        Check(shape, algorithm, policy, 1000 + (ulong)caseIndex * 10);
    }

    [Fact]
    public void First_ResNet_layer_3_to_16_on_32x32_matches_the_direct_convolution_with_im2col_and_F2()
    {
        Check(new ConvShape(3, 16, 32, 32, padding: 1), Algorithm.Im2col, OrientationPolicy.ClientReceives, 2000);
        Check(new ConvShape(3, 16, 32, 32, padding: 1), Algorithm.WinogradF2, OrientationPolicy.Cheaper, 2010);
    }

    [HeavyFact]
    public void Shape_3_16_32_32_all_cases_match() => CheckAll(3, 16, 32, 32);

    [HeavyFact]
    public void Shape_16_16_32_32_all_cases_match() => CheckAll(16, 16, 32, 32);

    [HeavyFact]
    public void Shape_32_32_16_16_all_cases_match() => CheckAll(32, 32, 16, 16);

    [HeavyFact]
    public void Shape_64_64_8_8_all_cases_match() => CheckAll(64, 64, 8, 8);

    private static void CheckAll(int c, int k, int h, int w)
    {
        ulong seed = 3000;
        foreach (var (shape, algorithm, policy) in Cases(c, k, h, w)) Check(shape, algorithm, policy, seed += 10);
    }
}
