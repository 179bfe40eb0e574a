using System.Text.Json;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Zoo;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.NonLinear;

using CoPriv.Models.Tests;

namespace CoPriv.Inference.Tests;

public class InferenceReportTests
{
    [Fact]
    public void Prediction_SumsTheOperatorsCostFunctions_LayerByLayer()
    {
        var plan = SecureInferencePlan.ForModel(ModelZoo.Create("resnet32-sci", new ZooOptions(CalibrationSamples: 0)), SecureInferencePolicy.CrypTFlow2());
        var report = InferenceReportBuilder.Prediction(plan);
        Assert.Equal(report.Layers.Sum(l => l.Predicted.TotalBytes), report.TotalBytes);
        Assert.Equal(report.Categories.Sum(c => c.TotalBytes), report.TotalBytes);
        // One ReLU layer of the first stage: 16·32·32 elements at ℓ = 41, as the ReLU protocol's own cost function says.
        var relu = report.Layers.First(l => l.Node == "relu1").Operators.Single(o => o.Name == "relu");
        Assert.Equal(ReluProtocol.Cost(16 * 32 * 32, new CoPriv.Protocols.Core.Ring(41)).TotalBytes, relu.Predicted.TotalBytes);
        // The first convolution: im2col with the client as receiver.
        var conv = report.Layers[0].Operators.Single();
        var options = new LinearLayerOptions(new CoPriv.Protocols.Core.FixedPoint(41, 11), OrientationPolicy.ClientReceives, report.Layers[0].Name);
        Assert.Equal(ConvolutionProtocol.CostOf(new ConvShape(3, 16, 32, 32, padding: 1), options).TotalBytes, conv.Predicted.TotalBytes);
    }

    [Fact]
    public void CoPrivOnResNet32Sci_SendsAtLeast2Point1TimesLessThanCrypTFlow2()
    {
        var model = ModelZoo.Create("resnet32-sci", new ZooOptions(CalibrationSamples: 0));
        long cryptflow2 = SecureInferencePlan.ForModel(model, SecureInferencePolicy.CrypTFlow2()).PredictedCost.TotalBytes;
        long copriv = SecureInferencePlan.ForModel(model, SecureInferencePolicy.CoPriv()).PredictedCost.TotalBytes;
        Assert.True(cryptflow2 >= 2.1 * copriv, $"cryptflow2 {cryptflow2} B, copriv {copriv} B: {(double)cryptflow2 / copriv:F3}×");
    }

    [Fact]
    public void CrypTFlow2OnResNet32Sci_IsWithinTwoPercentOfSci()
    {
        const double SciMiB = 9_258.85;
        var plan = SecureInferencePlan.ForModel(ModelZoo.Create("resnet32-sci", new ZooOptions(CalibrationSamples: 0)), SecureInferencePolicy.CrypTFlow2());
        double mib = plan.PredictedCost.TotalBytes / 1048576.0;
        Assert.InRange(mib / SciMiB, 0.98, 1.02);
    }

    [Fact]
    public void Json_UsesTheIssuesCamelCaseNames_AndRoundTrips()
    {
        var model = TestModels.Tiny();
        var result = SecureInference.RunInProcess(model, TestModels.RandomImage(model.InputShape, 3), SecureInferencePolicy.CoPriv(),
            new InferenceOptions { Seed = 1 });
        string json = InferenceReportJson.Serialize(result.Report);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        foreach (var field in new[] { "totalBytes", "preprocessingBytes", "onlineBytes", "rounds", "seconds", "matchesReference", "predictedClass", "setupBytes", "peakMemoryBytes", "layers" })
            Assert.True(root.TryGetProperty(field, out _), $"no '{field}' in {json[..200]}");
        Assert.Equal(result.Report.TotalBytes, root.GetProperty("totalBytes").GetInt64());
        Assert.True(root.GetProperty("matchesReference").GetBoolean());
        Assert.Equal("linear", root.GetProperty("categories")[0].GetProperty("category").GetString());
        Assert.False(root.TryGetProperty("network", out _));
        var back = InferenceReportJson.Deserialize(json);
        Assert.Equal(result.Report.Traffic, back.Traffic);
        Assert.Equal(result.Report.Layers.Count, back.Layers.Count);
        Assert.Equal(result.Report.Layers[0].Operators[0], back.Layers[0].Operators[0]);
    }

    [Theory]
    [InlineData(PreprocessMode.Ahead)]
    [InlineData(PreprocessMode.Inline)]
    public void Json_GivesTheEndToEndSeconds_AndAheadTheOnlineSeconds(PreprocessMode mode)
    {
        var model = TestModels.Tiny();
        var result = SecureInference.RunInProcess(model, TestModels.RandomImage(model.InputShape, 3),
            SecureInferencePolicy.CoPriv() with { Preprocess = mode }, new InferenceOptions { Seed = 1 });
        using var doc = JsonDocument.Parse(InferenceReportJson.Serialize(result.Report));
        var root = doc.RootElement;
        double setup = root.GetProperty("setupSeconds").GetDouble(), layers = root.GetProperty("seconds").GetDouble();
        if (mode == PreprocessMode.Ahead)
        {
            double pre = root.GetProperty("preprocessingSeconds").GetDouble();
            Assert.True(pre > 0);
            Assert.Equal(layers, root.GetProperty("onlineSeconds").GetDouble());
            Assert.Equal(setup + pre + layers, root.GetProperty("endToEndSeconds").GetDouble(), 12);
        }
        else
        {
            Assert.False(root.TryGetProperty("onlineSeconds", out _));
            Assert.False(root.TryGetProperty("preprocessingSeconds", out _));
            Assert.Equal(setup + layers, root.GetProperty("endToEndSeconds").GetDouble(), 12);
        }
        Assert.Contains("| end-to-end seconds |", InferenceReportMarkdown.Render(result.Report));
    }

    [Fact]
    public void Markdown_ListsTheSplitAndEveryOperator()
    {
        var plan = SecureInferencePlan.ForModel(TestModels.Tiny(), SecureInferencePolicy.CrypTFlow2());
        var report = InferenceReportBuilder.Prediction(plan);
        string md = InferenceReportMarkdown.Render(report);
        Assert.Contains("## Split by operator", md);
        foreach (var layer in report.Layers)
            foreach (var op in layer.Operators)
                Assert.Contains($"| {layer.Name} | {op.Name} |", md);
    }

    [Fact]
    public void MeasurementOffThePrediction_IsWarnedAbout()
    {
        var model = TestModels.Tiny();
        var policy = SecureInferencePolicy.CrypTFlow2();
        var server = new ServerInference(CoPriv.Models.Lowering.FixedPointLowering.Lower(model, policy.FixedPoint), policy);
        var client = new ClientInference(server.Plan, TestModels.RandomImage(model.InputShape, 5));
        var (layer, op) = (server.Plan.Layers[0].Name, server.Plan.Layers[0].Operators[0].Name);
        // The server sends 200 kB more inside the first layer's scope than its protocol's cost function says.
        var run = CoPriv.Protocols.Channels.TwoPartyRunner.Run(
            ch =>
            {
                server.RunSetup(ch);
                server.RunRemainingLayers();
                using (ch.Meter.Enter(layer, op)) ch.Stream("extra").Send(new byte[200_000]);
                return 0;
            },
            ch =>
            {
                client.RunSetup(ch);
                client.RunRemainingLayers();
                ch.Stream("extra").Receive(new byte[200_000]);
                return 0;
            });
        var report = InferenceReportBuilder.SecureRun(server.Plan, run.ServerMeter, run.ClientMeter, server, client);
        Assert.False(report.PredictionExact);
        Assert.Contains(report.Warnings, w => w.StartsWith($"{layer}/{op}: measured") && w.Contains("off"));
        Assert.Equal(report.Predicted.TotalBytes + 200_000, report.TotalBytes);
    }
}
