using CoPriv.Inference.Planning;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Graph;
using CoPriv.Models.Onnx;
using CoPriv.Models.Sources;
using CoPriv.Models.Zoo;

namespace CoPriv.Inference.Tests;

/// <summary>
/// A server serving a model file sends the client its weight-free architecture; the client's plan of that
/// architecture must be the server's plan of the weighted model, fingerprint for fingerprint, since the plan is
/// public and weights never enter it.
/// </summary>
public class ModelFilePlanTests
{
    private static ModelGraph Weighted() => ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 1));

    private static RunSpec Spec(string protocol) => RunSpec.Create("trained/mobilenetv2-q.onnx", protocol, 41, 11);

    [Theory]
    [InlineData("copriv")]
    [InlineData("cryptflow2")]
    public void ClientPlanOfTheSentArchitecture_IsTheServersPlanOfTheWeightedModel(string protocol)
    {
        var weighted = Weighted();
        var spec = Spec(protocol);
        var server = SecureInferencePlan.ForModel(weighted, spec);
        byte[] architecture = OnnxExporter.ExportArchitecture(weighted, "CIFAR-100");

        var client = InferenceSessionPlan.ClientPlan(spec.ToParameters(), Convert.ToHexStringLower(server.Fingerprint.ToArray()), architecture);

        Assert.Equal(server.Fingerprint, client.Fingerprint);
        Assert.Equal(server.PredictedCost, client.PredictedCost);
        var model = InferenceSessionPlan.ServedArchitecture(spec, architecture);
        Assert.Equal("CIFAR-100", model.Dataset);
        Assert.Equal(spec.Model, model.Name);
    }

    [Fact]
    public void AnArchitectureThatIsNotTheServedOne_IsRefusedByTheFingerprint()
    {
        var spec = Spec("copriv");
        var server = SecureInferencePlan.ForModel(Weighted(), spec);
        var other = ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.5, CalibrationSamples: 0));

        var e = Assert.Throws<ArgumentException>(() => InferenceSessionPlan.ClientPlan(
            spec.ToParameters(), Convert.ToHexStringLower(server.Fingerprint.ToArray()), OnnxExporter.ExportArchitecture(other)));
        Assert.Contains("the architecture the server sent does not give the plan it states", e.Message);
    }

    [Fact]
    public void WithoutAnArchitecture_TheSpecNamesAZooModel()
    {
        var spec = RunSpec.Create("minionn", "copriv", 41, 11, width: 0.25);
        Assert.Same(ModelZoo.Get("minionn"), InferenceSessionPlan.ServedArchitecture(spec, null));
        Assert.Throws<ArgumentException>(() => InferenceSessionPlan.ServedArchitecture(Spec("copriv"), null));
    }
}
