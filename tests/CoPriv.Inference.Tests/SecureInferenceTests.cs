using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Zoo;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.TestSupport;

using CoPriv.Models.Tests;

namespace CoPriv.Inference.Tests;

public class SecureInferenceTests
{
    internal static SecureInferenceResult RunChecked(ModelGraph model, string protocol, ulong seed)
    {
        var image = TestModels.RandomImage(model.InputShape, seed);
        var options = new InferenceOptions { Seed = seed, Retention = ShareRetention.All };
        return SecureInference.RunInProcess(model, image, SecureInferencePolicy.Parse(protocol), options);
    }

    internal static void AssertExact(SecureInferenceResult result)
    {
        var report = result.Report;
        Assert.True(report.MatchesReference, string.Join("; ", report.Warnings));
        Assert.Equal(result.Reference!.Prediction, result.PredictedClass);
        Assert.Equal(report.ReferenceClass, report.PredictedClass);
        Assert.True(report.PredictionExact, string.Join("; ", report.Warnings));
        Assert.Equal(report.Predicted, report.Traffic);
        Assert.Empty(report.Warnings);
        Assert.Equal(result.Client.Plan.PredictedSetupBytes, report.SetupBytes);
        Assert.Equal(result.Client.Plan.PredictedSetupRounds, report.SetupRounds);
    }

    [Theory]
    [InlineData("cryptflow2")]
    [InlineData("copriv")]
    public void TinyModel_EveryTensorMatchesTheReference_AndTheCostModelIsExact(string protocol) =>
        AssertExact(RunChecked(TestModels.Tiny(), protocol, 11));

    /// <summary>
    /// Over Ferret (the tests' small parameters, so that the layers run the backend dry several times) the run is
    /// exact too, and the setup line, which carries the iterations' messages, equals the plan's prediction from the
    /// layers' COT counts.
    /// </summary>
    [Fact]
    public void OverFerret_TheRunIsExact_AndTheSetupIncludesThePredictedIterations()
    {
        var model = SecureTestModels.PoolingAndRelu6();
        var image = TestModels.RandomImage(model.InputShape, 13);
        var options = new InferenceOptions { Seed = 13, Retention = ShareRetention.All };
        var ot = CoPriv.Protocols.Ot.OtBackend.FerretTest;
        var result = SecureInference.RunInProcess(model, image, SecureInferencePolicy.CoPriv(ot: ot), options);
        AssertExact(result);
        var plan = result.Client.Plan;
        Assert.True(plan.PredictedCost.ServerSentCots > 0 && plan.PredictedCost.ClientSentCots > 0);
        Assert.True(plan.PredictedGenerationBytes > 0, "the layers should run the small generators dry");
        Assert.Equal(ot.Costs.GenerationBytes(plan.PredictedCost.ServerSentCots) + ot.Costs.GenerationBytes(plan.PredictedCost.ClientSentCots),
            plan.PredictedGenerationBytes);
    }

    [Fact]
    public void CrypTFlow2_IsTheIknpBaseline_AndRefusesAnotherOtBackend()
    {
        var error = Assert.Throws<ArgumentException>(() => SecureInferencePolicy.Parse("cryptflow2", ot: CoPriv.Protocols.Ot.OtBackend.Ferret));
        Assert.Contains("runs over IKNP only", error.Message);
        Assert.Equal("iknp", RunSpec.Create("resnet32", "copriv", 41, 11, ot: "ferret").WithProtocol("cryptflow2").Ot);
        Assert.Equal("ferret", RunSpec.Create("resnet32", "copriv", 41, 11, ot: "ferret").WithProtocol("copriv-f4").Ot);
    }

    [Theory]
    [InlineData("cryptflow2")]
    [InlineData("copriv")]
    public void MaxPoolReLU6DepthwiseAndDivisionByNine_MatchTheReference_AndTheCostModelIsExact(string protocol) =>
        AssertExact(RunChecked(SecureTestModels.PoolingAndRelu6(), protocol, 12));

    [Fact]
    public void ActivationsLargerThanOneNonLinearCall_AreCutIntoCalls_WithTheHandshakesInTheCostModel()
    {
        var result = RunChecked(SecureTestModels.WideActivations(), "cryptflow2", 18);
        AssertExact(result);
        var relu = result.Report.Layers.Single(l => l.Node == "relu").Operators.Single(o => o.Name == "relu");
        var ring = new CoPriv.Protocols.Core.Ring(41);
        Assert.Equal((CoPriv.Protocols.NonLinear.ReluProtocol.Cost(1 << 16, ring) + CoPriv.Protocols.NonLinear.ReluProtocol.Cost(17 * 64 * 64 - (1 << 16), ring)).TotalBytes,
            relu.Measured!.TotalBytes);
    }

    [Theory]
    [InlineData("minionn", "cryptflow2")]
    [InlineData("minionn", "copriv")]
    [InlineData("resnet32-sci", "cryptflow2")]
    [InlineData("resnet32-sci", "copriv")]
    [InlineData("resnet32", "copriv")]
    [InlineData("resnet32-sci", "copriv-f4")]
    public void ReducedWidthZooModels_MatchTheReference_AndTheCostModelIsExact(string model, string protocol) =>
        AssertExact(RunChecked(ModelZoo.Create(model, new ZooOptions(WidthMultiplier: 0.25)), protocol, 13));

    [Theory]
    [InlineData("resnet18", 0.0625)]
    [InlineData("mobilenetv2", 0.125)]
    public void ReducedWidthCoPrivRuns_OfResNet18AndMobileNetV2_MatchTheReference(string model, double width) =>
        AssertExact(RunChecked(ModelZoo.Create(model, new ZooOptions(WidthMultiplier: width)), "copriv", 14));

    [HeavyFact]
    public void FullMiniOnn_BothPolicies_MatchTheReference_AndTheCostModelIsExact()
    {
        var model = ModelZoo.Create("minionn");
        AssertExact(RunChecked(model, "cryptflow2", 15));
        AssertExact(RunChecked(model, "copriv", 15));
    }

    [HeavyFact]
    public void FullResNet32Sci_BothPolicies_MatchTheReference_AndTheCostModelIsExact()
    {
        var model = ModelZoo.Create("resnet32-sci");
        AssertExact(RunChecked(model, "cryptflow2", 16));
        AssertExact(RunChecked(model, "copriv", 16));
    }

    [Fact]
    public void ConcurrentOtDirections_SendTheSameBytes_AndGiveTheSameResult()
    {
        var model = TestModels.Tiny();
        var image = TestModels.RandomImage(model.InputShape, 17);
        var policy = SecureInferencePolicy.CrypTFlow2();
        var sequential = SecureInference.RunInProcess(model, image, policy, new InferenceOptions { Seed = 3 });
        var concurrent = SecureInference.RunInProcess(model, image, policy, new InferenceOptions { Seed = 3, ConcurrentOtDirections = true });
        Assert.Equal(sequential.Report.Traffic, concurrent.Report.Traffic);
        Assert.True(concurrent.Report.MatchesReference);
        Assert.Equal(sequential.PredictedClass, concurrent.PredictedClass);
    }

    [Fact]
    public void SessionRunByAnotherRunner_IsReportedFromItsMeters_AndOnlyOnceBothPartiesAreDone()
    {
        var model = TestModels.Tiny();
        var policy = SecureInferencePolicy.CoPriv();
        var program = FixedPointLowering.Lower(model, policy.FixedPoint);
        var session = new SecureInferenceSession(SecureInferencePlan.Create(program, policy), program,
            program.EncodeInput(TestModels.RandomImage(model.InputShape, 6)));
        var (s, c) = InMemoryChannel.CreatePair();
        Assert.Throws<InvalidOperationException>(() => session.Complete(s.Meter, c.Meter));
        var run = TwoPartyRunner.Run(s, c, session.RunServer, session.RunClient);
        var result = session.Complete(run.ServerMeter, run.ClientMeter);
        Assert.Equal(run.Client, result.PredictedClass);
        Assert.True(result.Report.MatchesReference);
        Assert.True(result.Report.PredictionExact);
    }

    [Fact]
    public void PartiesWithDifferentPlans_FailAtSetup_NamingThePlan()
    {
        var model = TestModels.Tiny();
        var server = new ServerInference(FixedPointLowering.Lower(model, SecureInferencePolicy.CrypTFlow2().FixedPoint), SecureInferencePolicy.CrypTFlow2());
        var client = new ClientInference(SecureInferencePlan.ForModel(model, SecureInferencePolicy.CoPriv()),
            TestModels.RandomImage(model.InputShape, 1));
        var error = Assert.ThrowsAny<ProtocolException>(() => TwoPartyRunner.Run(
            ch => { server.RunSetup(ch); return 0; },
            ch => { client.RunSetup(ch); return 0; }));
        Assert.Contains("another plan", error.Message);
    }

    [Fact]
    public void APartyWhosePeerVanishesMidLayer_FailsThatLayer_AndRefusesTheNext()
    {
        var model = TestModels.Tiny();
        var policy = SecureInferencePolicy.CrypTFlow2();
        var server = new ServerInference(FixedPointLowering.Lower(model, policy.FixedPoint), policy);
        var client = new ClientInference(server.Plan, TestModels.RandomImage(model.InputShape, 7));
        var error = Assert.ThrowsAny<Exception>(() => TwoPartyRunner.Run<int, int>(
            ch => { server.RunSetup(ch); server.RunLayer(0); return 0; },
            ch => { client.RunSetup(ch); throw new InvalidOperationException("client gave up"); }));
        Assert.Contains("client gave up", error.Message);
        Assert.Equal(0, server.CompletedLayers);
        Assert.Contains("has failed", Assert.Throws<InvalidOperationException>(() => server.RunLayer(0)).Message);
    }

    [Fact]
    public void LayersRunInOrder_AndOnlyAfterSetup()
    {
        var model = TestModels.Tiny();
        var policy = SecureInferencePolicy.CrypTFlow2();
        var server = new ServerInference(FixedPointLowering.Lower(model, policy.FixedPoint), policy);
        Assert.Throws<InvalidOperationException>(() => server.RunLayer(0));
        var client = new ClientInference(server.Plan, TestModels.RandomImage(model.InputShape, 2));
        TwoPartyRunner.Run(
            ch => { server.RunSetup(ch); server.RunLayer(0); return Assert.Throws<InvalidOperationException>(() => server.RunLayer(2)); },
            ch => { client.RunSetup(ch); client.RunLayer(0); return 0; });
        Assert.Equal(1, server.CompletedLayers);
        Assert.Throws<InvalidOperationException>(() => client.PredictedClass);
    }

    [Fact]
    public void ProgressIsReportedOncePerLayer_ByEachParty()
    {
        var model = TestModels.Tiny();
        var events = new System.Collections.Concurrent.ConcurrentBag<LayerProgress>();
        var result = SecureInference.RunInProcess(model, TestModels.RandomImage(model.InputShape, 4), SecureInferencePolicy.CoPriv(),
            new InferenceOptions { Progress = events.Add });
        int layers = result.Server.Plan.Layers.Count;
        foreach (var role in new[] { PartyRole.Server, PartyRole.Client })
            Assert.Equal(Enumerable.Range(1, layers), events.Where(e => e.Role == role).Select(e => e.Position).Order());
    }

    [Fact]
    public void TheServersArgMaxShareIsZero_TheClientHoldsTheClass()
    {
        var model = TestModels.Tiny();
        var result = SecureInference.RunInProcess(model, TestModels.RandomImage(model.InputShape, 9), SecureInferencePolicy.CrypTFlow2());
        var output = result.Server.Plan.Program.Output;
        Assert.Equal([0UL], result.Server.ShareOf(output));
        Assert.Equal((ulong)result.PredictedClass, result.Client.ShareOf(output)[0]);
    }
}
