using CoPriv.Inference.Planning;
using CoPriv.Models.Optimization;
using CoPriv.Models.Zoo;

namespace CoPriv.Inference.Tests;

/// <summary>The per-block communication that 2PC-aware pruning weighs its gates by, against whole-network plans.</summary>
public class BlockCommunicationTests
{
    private static readonly RunSpec Copriv = RunSpec.Create("mobilenetv2", "copriv", 41, 11, width: 0.25);

    private static readonly Models.Graph.ModelGraph MobileNet =
        ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));

    // One plan per block: computed once for the class.
    private static readonly Lazy<IReadOnlyList<BlockCommunication>> MobileNetBlocks = new(() => BlockCommunication.Of(MobileNet, Copriv));

    [Fact]
    public void TheBlocksCostsBefore_AndTheClassifiers_AddUpToTheWholePlan()
    {
        var blocks = MobileNetBlocks.Value;
        var plan = SecureInferencePlan.ForModel(MobileNet, Copriv);
        var members = ActivationBlocks.Of(MobileNet).SelectMany(b => b.ActivationNodes.Concat(b.LinearNodes)).ToHashSet();
        long outside = plan.Layers.Where(l => !members.Contains(l.Node)).Sum(l => l.Predicted.TotalBytes);
        Assert.True(outside > 0, "the classifier is in no block");
        Assert.Equal(plan.PredictedCost.TotalBytes, blocks.Sum(b => b.TotalBytesBefore) + outside);
        Assert.Equal(ActivationBlocks.Of(MobileNet).Select(b => b.Id), blocks.Select(b => b.Id));
    }

    [Fact]
    public void SavingsOfBlocksApart_AddUp_WhenBothAreRemoved()
    {
        var blocks = MobileNetBlocks.Value.ToDictionary(b => b.Id);
        long whole = SecureInferencePlan.ForModel(MobileNet, Copriv).PredictedCost.TotalBytes;
        long both = SecureInferencePlan.ForModel(BlockLinearization.LinearizeAndMerge(MobileNet, ["b3", "b12", "head"]), Copriv).PredictedCost.TotalBytes;
        Assert.Equal(whole - both, blocks["b3"].SavedBytes + blocks["b12"].SavedBytes + blocks["head"].SavedBytes);
        Assert.True(blocks["b3"].SavedBytes > 0);
        Assert.True(blocks["b3"].OnlineBytesAfter < blocks["b3"].OnlineBytesBefore);
    }

    [Fact]
    public void InvertedResidualBlocksAndTheHeadMerge_TheStemAndResNetBlocksOnlyLoseTheirActivations()
    {
        var blocks = MobileNetBlocks.Value.ToDictionary(b => b.Id);
        Assert.True(blocks["b5"].Merges);
        Assert.True(blocks["head"].Merges);
        Assert.False(blocks["stem"].Merges);
        // A block that is not merged keeps its linear layers: pre-processing inline, it saves exactly its activations'
        // online cost; ahead (the spec's default), their bit triples leave the pre-processing too.
        var inline = BlockCommunication.Of(MobileNet, RunSpec.Create("mobilenetv2", "copriv", 41, 11, width: 0.25, preprocess: "inline"))
            .Single(b => b.Id == "stem");
        Assert.Equal(inline.PreprocessingBytesBefore, inline.PreprocessingBytesAfter);
        Assert.True(inline.OnlineBytesAfter < inline.OnlineBytesBefore);
        Assert.True(blocks["stem"].PreprocessingBytesAfter < blocks["stem"].PreprocessingBytesBefore);
        Assert.True(blocks["stem"].OnlineBytesAfter < blocks["stem"].OnlineBytesBefore);

        var resnet = ModelZoo.Create("resnet32", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));
        var resnetBlocks = BlockCommunication.Of(resnet, RunSpec.Create("resnet32", "cryptflow2", 41, 11, width: 0.25));
        Assert.All(resnetBlocks.Where(b => b.Kind == ActivationBlockKind.BasicBlock), b =>
        {
            Assert.False(b.Merges);
            Assert.True(b.SavedBytes > 0);
        });
    }
}
