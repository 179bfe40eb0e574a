using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Optimization;
using CoPriv.Models.Zoo;
using Xunit.Abstractions;

namespace CoPriv.Models.Tests;

/// <summary>
/// Folding a linearized head into the classifier is exact; the oracle is the float executor on the unfolded,
/// linearized graph.
/// </summary>
public class HeadMergingTests(ITestOutputHelper output)
{
    private static ModelGraph QuarterMobileNet() => ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 2));

    [Fact]
    public void LinearizedHead_FoldsIntoTheClassifier_AndTheLogitsStayTheSame()
    {
        var zoo = QuarterMobileNet();
        var linear = BlockLinearization.Linearize(zoo, [ActivationBlocks.HeadId]);
        var merged = HeadMerging.Merge(linear);

        Assert.DoesNotContain(merged.Nodes, n => n.Name is "conv2" or "bn2" or "relu2");
        var fc = Assert.IsType<FullyConnected>(merged.NodeNamed("fc").Operator);
        int pooled = zoo.ShapeOf(ActivationBlocks.Of(zoo).Single(b => b.Id == "b17").Output).Channels;
        Assert.Equal(pooled, fc.InFeatures);
        Assert.Equal(zoo.OutputShape, merged.OutputShape);

        double worst = 0;
        for (ulong seed = 60; seed < 63; seed++)
        {
            var image = TestModels.RandomImage(zoo.InputShape, seed);
            double[] expected = FloatExecutor.Run(linear, image).Data, actual = FloatExecutor.Run(merged, image).Data;
            double scale = expected.Max(Math.Abs);
            Assert.True(scale > 0);
            // The logits must depend on the image, or equal logits would prove nothing.
            Assert.NotEqual(expected, FloatExecutor.Run(linear, TestModels.RandomImage(zoo.InputShape, seed + 100)).Data);
            worst = Math.Max(worst, expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / scale);
        }
        output.WriteLine($"max |folded − linearized| / max |linearized| = {worst:E2}");
        Assert.True(worst <= 1e-9, $"{worst:E3}");
    }

    [Fact]
    public void HeadWithItsActivation_IsLeftAsItIs()
    {
        var zoo = QuarterMobileNet();
        Assert.Same(zoo, HeadMerging.Merge(zoo));
        var someBlocks = BlockLinearization.Linearize(zoo, ["b3"]);
        Assert.Same(someBlocks, HeadMerging.Merge(someBlocks));
    }

    [Fact]
    public void NetworksWithoutAHead_AreLeftAsTheyAre()
    {
        var resnet = ModelZoo.Create("resnet32", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));
        Assert.Same(resnet, HeadMerging.Merge(resnet));
    }

    [Fact]
    public void LinearizeAndMerge_MergesTheChosenBlocksAndTheHead_AndLeavesTheStemLinearized()
    {
        var zoo = QuarterMobileNet();
        var result = BlockLinearization.LinearizeAndMerge(zoo, [ActivationBlocks.StemId, "b2", ActivationBlocks.HeadId]);
        var blocks = ActivationBlocks.Of(result);
        Assert.True(blocks.Single(b => b.Id == ActivationBlocks.StemId).IsLinear);
        Assert.Equal(ActivationBlockKind.Merged, blocks.Single(b => b.Id == "b2").Kind);
        Assert.Single(blocks.Single(b => b.Id == "b2").ActivationNodes);
        Assert.DoesNotContain(blocks, b => b.Id == ActivationBlocks.HeadId);
        Assert.Equal(ActivationBlockKind.InvertedResidual, blocks.Single(b => b.Id == "b3").Kind);
    }
}
