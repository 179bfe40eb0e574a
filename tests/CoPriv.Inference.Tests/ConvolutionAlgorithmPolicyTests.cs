using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Zoo;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

using CoPriv.Models.Tests;

namespace CoPriv.Inference.Tests;

public class ConvolutionAlgorithmPolicyTests
{
    private static readonly Ring Ring41 = new(41);

    [Theory]
    [InlineData(3, 5, 9, 7, 1, 1, 1, 1, 1)]
    [InlineData(4, 6, 8, 8, 0, 1, 0, 1, 2)]   // TensorFlow "SAME" at stride 2: one row and column after
    [InlineData(4, 4, 10, 9, 1, 0, 0, 1, 4)]
    [InlineData(2, 3, 5, 6, 2, 2, 2, 2, 1)]
    public void PolyphaseReference_EqualsTheDirectConvolution_ForEvenAndUnevenPadding(int inC, int outC, int h, int w,
        int top, int left, int bottom, int right, int groups)
    {
        var g = new ConvolutionGeometry(inC, h, w, outC, 3, 3, 2, 2, new Padding2d(top, left, bottom, right), groups);
        var rng = new SeededRandom(9);
        var x = Enumerable.Range(0, g.InputShape.ElementCount).Select(_ => rng.NextUInt64() & Ring41.Mask).ToArray();
        var weights = Enumerable.Range(0, g.WeightCount).Select(_ => rng.NextUInt64() & Ring41.Mask).ToArray();
        var direct = new ulong[g.OutputShape.ElementCount];
        var polyphase = new ulong[g.OutputShape.ElementCount];
        DirectRingConvolution.Instance.Convolve(Ring41, g, x, weights, direct);
        PolyphaseRingConvolution.Instance.Convolve(Ring41, g, x, weights, polyphase);
        Assert.True(PolyphaseRingConvolution.Instance.Supports(g));
        Assert.Equal(0, PolyphaseRingConvolution.Instance.ExtraScaleBits(g));
        Assert.Equal(direct, polyphase);
    }

    [Theory]
    [InlineData("copriv", "winograd-f2x2-3x3")]
    [InlineData("copriv-f4", "winograd-f4x4-3x3")]
    public void CoPrivPolicies_RunEvery3x3Stride2ConvOnPolyphase_AndKeepIm2colForTheRest(string protocol, string stride1)
    {
        var model = ModelZoo.Create("resnet32-sci", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));
        var program = FixedPointLowering.Lower(model, SecureInferencePolicy.Parse(protocol).FixedPoint);
        var convs = program.OperationsOf<RingConvolution>().ToList();
        var stride2 = convs.Where(c => c.Geometry is { KernelHeight: 3, StrideHeight: 2 }).ToList();
        Assert.Equal(2, stride2.Count);
        Assert.All(stride2, c => Assert.Same(PolyphaseRingConvolution.Instance, c.Algorithm));
        Assert.All(convs.Where(c => c.Geometry is { KernelHeight: 3, StrideHeight: 1 }), c => Assert.Equal(stride1, c.Algorithm.Name));
        Assert.All(convs.Where(c => c.Geometry.KernelHeight == 1), c => Assert.Same(DirectRingConvolution.Instance, c.Algorithm));
        var cryptflow2 = FixedPointLowering.Lower(model, SecureInferencePolicy.CrypTFlow2().FixedPoint);
        Assert.All(cryptflow2.OperationsOf<RingConvolution>(), c => Assert.Same(DirectRingConvolution.Instance, c.Algorithm));
    }

    [Fact]
    public void CoPriv_KeepsIm2col_OnlyWherePolyphaseWouldSendMore_MobileNetV2s4x4DepthwiseLayer()
    {
        var model = ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));
        var program = FixedPointLowering.Lower(model, SecureInferencePolicy.CoPriv().FixedPoint);
        var stride2 = program.OperationsOf<RingConvolution>().Where(c => c.Geometry is { KernelHeight: 3, StrideHeight: 2 }).ToList();
        var options = new LinearLayerOptions(new FixedPoint(41, 11), OrientationPolicy.Cheaper);
        foreach (var conv in stride2)
        {
            var g = conv.Geometry;
            var shape = new ConvShape(g.InChannels, g.OutChannels, g.InHeight + g.Padding.Top + g.Padding.Bottom,
                g.InWidth + g.Padding.Left + g.Padding.Right, 3, 3, 2, 0, g.Groups);
            bool cheaper = PolyphaseConvolutionProtocol.CostOf(shape, options).TotalBytes < ConvolutionProtocol.CostOf(shape, options).TotalBytes;
            Assert.Equal(cheaper ? PolyphaseRingConvolution.Instance : DirectRingConvolution.Instance, conv.Algorithm);
        }
        Assert.Contains(stride2, c => c.Algorithm == DirectRingConvolution.Instance && c.Geometry is { IsDepthwise: true, OutHeight: 4 });
        Assert.Contains(stride2, c => c.Algorithm == PolyphaseRingConvolution.Instance && c.Geometry.IsDepthwise);
    }

    [Theory]
    [InlineData(64, 64, 8, "winograd-f2x2-3x3")]   // a depthwise layer with room for tiles: Winograd sends less
    [InlineData(64, 64, 2, "im2col")]              // 2×2 output: α² = 16 one-entry products per channel cost more than 9
    [InlineData(8, 1, 1, "im2col")]                // dense, 1×1 output: all but one tap fall on padding
    [InlineData(16, 1, 32, "winograd-f2x2-3x3")]
    public void CoPriv_RunsA3x3Stride1ConvOnWinograd_OnlyWhereItSendsLessThanIm2col(int channels, int groups, int size, string expected)
    {
        var g = new ConvolutionGeometry(channels, size, size, channels, 3, 3, 1, 1, Padding2d.Symmetric(1), groups);
        var options = new LinearLayerOptions(new FixedPoint(41, 11), OrientationPolicy.Cheaper);
        var shape = new ConvShape(channels, channels, size, size, 3, 3, 1, 1, groups);
        bool winogradCheaper = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F2x2, options).TotalBytes
                               < ConvolutionProtocol.CostOf(shape, options).TotalBytes;

        var chosen = SecureInferencePolicy.CoPriv().FixedPoint.SelectConvolution(g);

        Assert.Equal(expected, chosen.Name);
        Assert.Equal(winogradCheaper, chosen is WinogradRingConvolution);
    }

    [Fact]
    public void CoPrivOnResNet18_SendsAtLeast2Point1TimesLessThanCrypTFlow2_ItsStride2ConvsOnPolyphase()
    {
        var model = ModelZoo.Create("resnet18", new ZooOptions(CalibrationSamples: 0));
        var copriv = SecureInferencePlan.ForModel(model, SecureInferencePolicy.CoPriv());
        long cryptflow2 = SecureInferencePlan.ForModel(model, SecureInferencePolicy.CrypTFlow2()).PredictedCost.TotalBytes;
        long total = copriv.PredictedCost.TotalBytes;
        Assert.True(cryptflow2 >= 2.1 * total, $"cryptflow2 {cryptflow2} B, copriv {total} B: {(double)cryptflow2 / total:F3}×");

        var report = InferenceReportBuilder.Prediction(copriv);
        var polyphase = report.Layers.SelectMany(l => l.Operators.Select(o => (Layer: l, Operator: o)))
            .Where(x => x.Operator.Protocol.StartsWith("polyphase", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, polyphase.Count);
        var cheaper = new LinearLayerOptions(new FixedPoint(41, 11), OrientationPolicy.Cheaper)
        {
            WeightBits = SecureInferencePolicy.DefaultWeightBitsAtScale11,
        };
        foreach (var (c, size) in new[] { (64, 32), (128, 16), (256, 8) })
        {
            var shape = new ConvShape(c, 2 * c, size, size, 3, 3, 2, 1);
            long bytes = PolyphaseConvolutionProtocol.CostOf(shape, cheaper).TotalBytes;
            Assert.Contains(polyphase, x => x.Operator.Predicted.TotalBytes == bytes);
            // 25/36 of the cubic term; the λ term (one OT per bit of each of the 6.25·C·OutH·OutW transformed inputs)
            // is above DNN-aware im2col's when K < OutH·OutW, so the gain is a little under 36/25 at B = ℓ. With B = 17
            // the server receiver's OTs shrink on both sides, by different amounts, so there it is only "less".
            var fullWidth = cheaper with { WeightBits = null };
            Assert.InRange((double)PolyphaseConvolutionProtocol.CostOf(shape, fullWidth).TotalBytes
                / ConvolutionProtocol.CostOf(shape, fullWidth).TotalBytes, 0.69, 0.72);
            Assert.True(bytes < ConvolutionProtocol.CostOf(shape, cheaper).TotalBytes);
        }
    }

    [Fact]
    public void ReducedWidthResNet32Sci_UnderCoPriv_RunsItsUnevenlyPaddedStride2ConvsOnPolyphase_ExactlyAsPredicted()
    {
        var model = ModelZoo.Create("resnet32-sci", new ZooOptions(WidthMultiplier: 0.25));
        var image = TestModels.RandomImage(model.InputShape, 21);
        var options = new InferenceOptions { Seed = 21, Retention = ShareRetention.All };
        var report = SecureInference.RunInProcess(model, image, SecureInferencePolicy.CoPriv(), options).Report;

        var polyphase = report.Layers.SelectMany(l => l.Operators)
            .Where(o => o.Protocol.StartsWith("polyphase", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, polyphase.Count);
        Assert.All(polyphase, o => Assert.Equal(o.Predicted, o.Measured));
        Assert.True(report.MatchesReference, string.Join("; ", report.Warnings));
        Assert.Equal(report.Predicted, report.Traffic);
    }
}
