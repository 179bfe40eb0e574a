using CoPriv.Inference.Planning;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tests;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;
using Xunit.Abstractions;

namespace CoPriv.Inference.Tests;

/// <summary>
/// Partial ReLU and ReLU6 on shares (SNL's channel gates): only the kept channels' elements go through the protocol,
/// the identity channels' shares pass on locally, so a run stays bit-exact and costs exactly a ReLU of the kept count.
/// </summary>
public class SecurePartialActivationTests(ITestOutputHelper output)
{
    /// <summary>The same model with every activation on all channels (the singletons).</summary>
    private static ModelGraph Plain(ModelGraph model) => model.WithNodes(model.Nodes.Select(n => n.Operator switch
    {
        Relu => n.WithOperator(Relu.Instance),
        Relu6 => n.WithOperator(Relu6.Instance),
        _ => n,
    }));

    private static CommunicationCost Activation(SecureInferencePlan plan, string node) =>
        plan.Layers.Single(l => l.Node == node).Operators.Single(o => o.Category == Reports.OperatorCategory.Relu).Predicted;

    /// <summary>One call of the ReLU protocol on n elements under the policy: what a plain ReLU layer of n elements costs.</summary>
    private static CommunicationCost ReluOf(int n, SecureInferencePolicy policy) =>
        ReluProtocol.Cost(n, new Ring(policy.RingBits), policy.Relu, policy.MillionaireRadix, otCosts: policy.Ot.Costs);

    [Theory]
    [InlineData("cryptflow2")]
    [InlineData("copriv")]
    public void PartialReluAndRelu6_MatchTheReferenceBitForBit_AndCostAReluOfTheKeptElements(string protocol)
    {
        var result = SecureInferenceTests.RunChecked(TestModels.TinyWithPartialActivations(), protocol, 23);
        SecureInferenceTests.AssertExact(result);
        var policy = SecureInferencePolicy.Parse(protocol);
        var relu6 = result.Report.Layers.Single(l => l.Node == "relu6").Operators.Single(o => o.Name == "relu6");
        var relu = result.Report.Layers.Single(l => l.Node == "relu").Operators.Single(o => o.Name == "relu");
        // Two of four 8×8 channels kept each; ReLU6 runs two ReLUs per element.
        Assert.Equal(ReluOf(2 * 2 * 64, policy).TotalBytes, relu6.Predicted.TotalBytes);
        Assert.Equal(ReluOf(2 * 64, policy).TotalBytes, relu.Predicted.TotalBytes);
        Assert.Equal(relu.Predicted, relu.Measured);
        Assert.Equal(relu6.Predicted, relu6.Measured);

        // The truncation after the partial ReLU knows the sign of the kept channels only: two calls.
        var truncation = result.Client.Plan.Program.OperationsOf<RingTruncate>().Single(t => t.SourceNode == "relu");
        var truncate = result.Report.Layers.Single(l => l.Node == "relu").Operators.Single(o => o.Name == "truncate");
        Assert.Equal((TruncationOf(2 * 64, truncation.Shift, MsbKnowledge.NonNegative, policy)
            + TruncationOf(2 * 64, truncation.Shift, MsbKnowledge.Unknown, policy)).TotalBytes, truncate.Measured!.TotalBytes);
    }

    private static CommunicationCost TruncationOf(int n, int shift, MsbKnowledge msb, SecureInferencePolicy policy) =>
        FaithfulTruncation.Cost(n, new Ring(policy.RingBits), shift, msb, policy.MillionaireRadix, otCosts: policy.Ot.Costs);

    [Fact]
    public void KeepingNoChannel_SendsNothingForTheActivation_AndStaysExact()
    {
        var result = SecureInferenceTests.RunChecked(TestModels.TinyWithPartialActivations(kept: new bool[4]), "copriv", 24);
        SecureInferenceTests.AssertExact(result);
        var relu = result.Report.Layers.Single(l => l.Node == "relu").Operators.Single(o => o.Name == "relu");
        Assert.Equal((0L, 0L), (relu.Predicted.TotalBytes, relu.Measured!.TotalBytes));
    }

    [Theory]
    [InlineData("cryptflow2")]
    [InlineData("copriv")]
    public void AFullMask_PlansExactlyThePlainActivation_AndHalfTheChannelsCostAReluOfHalfTheElements(string protocol)
    {
        var policy = SecureInferencePolicy.Parse(protocol);
        var full = TestModels.TinyWithPartialActivations(kept: [true, true, true, true], kept6: [true, true, true, true]);
        var fullPlan = SecureInferencePlan.ForModel(full, policy);
        var plainPlan = SecureInferencePlan.ForModel(Plain(full), policy);
        Assert.Equal(plainPlan.Fingerprint, fullPlan.Fingerprint);
        Assert.Equal(plainPlan.PredictedCost, fullPlan.PredictedCost);
        Assert.Equal(Activation(plainPlan, "relu"), Activation(fullPlan, "relu"));
        Assert.Equal(ReluOf(4 * 64, policy), Activation(fullPlan, "relu"));

        var half = SecureInferencePlan.ForModel(TestModels.TinyWithPartialActivations(kept: [true, false, true, false]), policy);
        Assert.Equal(ReluOf(2 * 64, policy), Activation(half, "relu"));
        Assert.True(Activation(half, "relu").TotalBytes < Activation(plainPlan, "relu").TotalBytes);
        Assert.Equal(ReluOf(2 * 2 * 64, policy), Activation(half, "relu6"));
        Assert.Equal(ReluOf(2 * 4 * 64, policy), Activation(plainPlan, "relu6"));
        // With the truncations' split, the saving survives in the whole model, online and in total.
        Assert.True(half.PredictedCost.OnlineBytes < plainPlan.PredictedCost.OnlineBytes);
        Assert.True(half.PredictedCost.TotalBytes < plainPlan.PredictedCost.TotalBytes);
        output.WriteLine($"{protocol}: relu layer 4/4 channels {Activation(plainPlan, "relu").TotalBytes} B " +
            $"(online {Activation(plainPlan, "relu").OnlineBytes} B), 2/4 {Activation(half, "relu").TotalBytes} B " +
            $"(online {Activation(half, "relu").OnlineBytes} B); model all plain {plainPlan.PredictedCost.TotalBytes} B " +
            $"(online {plainPlan.PredictedCost.OnlineBytes} B), both layers half {half.PredictedCost.TotalBytes} B " +
            $"(online {half.PredictedCost.OnlineBytes} B)");
    }
}
