using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Optimization;
using CoPriv.Models.Tests;

namespace CoPriv.Inference.Tests;

/// <summary>
/// A network whose inverted-residual blocks were linearized and merged runs securely like any other: a dense
/// convolution, a bias map the server adds for free, and one ReLU6 per block.
/// </summary>
public class SecureMergedBlockTests
{
    [Theory]
    [InlineData("cryptflow2")]
    [InlineData("copriv")]
    public void MergedMiniMobileNet_MatchesTheReferenceBitForBit_AndItsBorderMapsSendNothing(string protocol)
    {
        var original = TestModels.MiniMobileNet();
        var merged = InvertedResidualMerging.Merge(BlockLinearization.Linearize(original, ["b1", "b2", "b3"]));
        // b1 has no expand, so no border map; b2 and b3 have one each.
        Assert.Equal(["b2.border", "b3.border"], merged.Nodes.Where(n => n.Operator is BiasMap).Select(n => n.Name));

        var result = SecureInferenceTests.RunChecked(merged, protocol, 23);
        SecureInferenceTests.AssertExact(result);
        foreach (var node in new[] { "b2.border", "b3.border" })
        {
            var op = result.Report.Layers.Single(l => l.Node == node).Operators.Single();
            Assert.Equal(("BiasMap", 0L, 0L), (op.Kind, op.Predicted.TotalBytes, op.Measured!.TotalBytes));
        }
        // Five ReLU6s (stem, three merged blocks, head) instead of the original's seven.
        Assert.Equal(7, original.Nodes.Count(n => n.Operator is Relu6));
        Assert.Equal(5, result.Report.Layers.Count(l => merged.NodeNamed(l.Node).Operator is Relu6));

        // The reference being exact says nothing about its meaning: its logits must also be the float network's.
        var image = TestModels.RandomImage(merged.InputShape, 23);
        var expected = FloatExecutor.Run(merged, image).Data;
        var logits = result.Reference!.DecodedLogits.Data;
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], logits[i], 0.02);
    }
}
