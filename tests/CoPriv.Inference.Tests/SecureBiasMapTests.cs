using CoPriv.Inference.Planning;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tests;

namespace CoPriv.Inference.Tests;

/// <summary>The position-dependent bias on shares: a server-side local step, exact, free, and kept out of the plan.</summary>
public class SecureBiasMapTests
{
    [Theory]
    [InlineData("cryptflow2")]
    [InlineData("copriv")]
    public void ModelWithABiasMap_MatchesTheReferenceBitForBit_AndTheBiasMapSendsNothing(string protocol)
    {
        var result = SecureInferenceTests.RunChecked(TestModels.TinyWithBiasMap(), protocol, 21);
        SecureInferenceTests.AssertExact(result);
        var layer = result.Report.Layers.Single(l => l.Node == "border");
        var op = layer.Operators.Single();
        Assert.Equal(("biasmap", "BiasMap"), (op.Name, op.Kind));
        Assert.Equal(0, op.Predicted.TotalBytes);
        Assert.Equal(0, op.Measured!.TotalBytes);
    }

    [Fact]
    public void BiasMapValues_AreNotInThePlan_OnlyItsShape()
    {
        var model = TestModels.TinyWithBiasMap();
        var map = (BiasMap)model.NodeNamed("border").Operator;
        var other = model.WithNodes(model.Nodes.Select(n => n.Name == "border"
            ? n.WithOperator(new BiasMap(map.Shape, map.Values.Select(v => -2 * v).ToArray()))
            : n));
        var policy = SecureInferencePolicy.CoPriv();
        var plan = SecureInferencePlan.ForModel(model, policy);
        Assert.Equal(plan.Fingerprint, SecureInferencePlan.ForModel(other, policy).Fingerprint);
        Assert.All(plan.Program.OperationsOf<RingBiasMap>().Single().Values, v => Assert.Equal(0UL, v));
    }
}
