using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Bench.Tests;

/// <summary>The harness behind `copriv bench conv` checks the layer against the cleartext reference and meters what the cost model predicts.</summary>
public class ConvolutionLayerMeasurementTests
{
    [Theory]
    [InlineData("cryptflow2", 1)]
    [InlineData("winograd2", 1)]
    [InlineData("winograd4", 1)]
    [InlineData("polyphase", 2)]
    public void Each_protocol_matches_the_reference_and_the_cost_model(string protocol, int stride)
    {
        var shape = new ConvShape(4, 4, 8, 8, 3, 3, stride, 1);
        var options = new LinearLayerOptions(new FixedPoint(41, 11), ConvolutionLayerMeasurement.DefaultOrientation(protocol), "bench-conv");
        var r = ConvolutionLayerMeasurement.Measure(shape, protocol, options, extraBits: null, seed: 1, warmups: 1, runs: 3);
        Assert.True(r.MatchesReference);
        Assert.Equal(r.PredictedBytes, r.TotalBytes);
        Assert.Equal(r.TotalBytes, r.PreprocessingBytes + r.OnlineBytes);
        Assert.Equal(protocol, r.Protocol);
        Assert.True(r.Seconds <= r.SecondsMedian);
    }

    [Fact]
    public void Unknown_protocol_is_refused()
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11));
        Assert.Throws<ArgumentException>(() =>
            ConvolutionLayerMeasurement.Measure(new ConvShape(4, 4, 8, 8, padding: 1), "direct", options, null, 1, 0, 1));
    }

    [Fact]
    public void ResNet32_comparison_covers_the_three_layer_shapes_and_F2_is_exact()
    {
        var report = ResNet32WinogradComparison.Compare(new FixedPoint(41, 11), extraBits: null, seed: 1);
        Assert.Equal(3, report.Layers.Count);
        Assert.All(report.Layers, l => Assert.Equal(0, l.F4Accuracy.F2MaxAbsErrorUlps));
        // 2.25 exactly for the OT products; each layer's 88-byte parameter handshake moves it below the sixth decimal.
        Assert.All(report.Layers, l => Assert.Equal(2.25, l.F2Ratio, 5));
    }
}
