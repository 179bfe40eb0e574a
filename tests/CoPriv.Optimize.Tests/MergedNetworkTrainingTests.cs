using CoPriv.Models.Graph;
using CoPriv.Models.Optimization;
using CoPriv.Models.Zoo;
using static TorchSharp.torch;

namespace CoPriv.Optimize.Tests;

/// <summary>
/// The network CoPriv's gates leave — merged blocks with their border maps and appended ReLU6s — converts to a torch
/// module and back and fine-tunes against the unoptimized network as teacher.
/// </summary>
public class MergedNetworkTrainingTests
{
    private static ModelGraph Merged(out ModelGraph original)
    {
        original = ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.125, CalibrationSamples: 1));
        var merged = BlockLinearization.LinearizeAndMerge(original, ["b2", "b3", "head"]);
        Assert.Contains(merged.Nodes, n => n.Operator is BiasMap);
        return merged;
    }

    [Fact]
    public void MergedNetwork_WithItsBorderMaps_ComputesWhatTheFloatExecutorComputes_AndRoundTrips()
    {
        var merged = Merged(out _);
        var images = TestGraphs.RandomImages(merged.InputShape, 3);
        using var module = TorchGraphModule.FromGraph(merged, ScalarType.Float64);
        Assert.True(TestGraphs.MaxAbsDifference(TestGraphs.FloatLogits(merged, images), TestGraphs.TorchLogits(module, images)) < 1e-9);
        var back = module.ToGraph();
        foreach (var (before, after) in merged.Nodes.Zip(back.Nodes).Where(p => p.First.Operator is BiasMap))
            Assert.Equal(((BiasMap)before.Operator).Values, ((BiasMap)after.Operator).Values);
    }

    [Fact]
    public void FineTuning_TrainsTheMergedNetwork_TowardsTheTeacher_AndChangesItsBorderMaps()
    {
        var merged = Merged(out var original);
        var data = TrainingData.Generated(original.InputShape, 64, 16, seed: 4);
        var result = FineTuning.Run(merged, data, new TrainingOptions { BatchSize = 16, Seed = 2 }, epochs: 2, teacher: original);

        Assert.True(result.Distilled);
        Assert.Equal(2, result.History.Count);
        Assert.All(result.History, r => Assert.True(double.IsFinite(r.Loss) && r.ImagesPerSecond > 0));
        Assert.InRange(result.HeldOutAccuracyAfter, 0, 1);
        var border = merged.Nodes.First(n => n.Operator is BiasMap).Name;
        Assert.NotEqual(((BiasMap)merged.NodeNamed(border).Operator).Values, ((BiasMap)result.Graph.NodeNamed(border).Operator).Values);
        // The teacher labels the data: the unoptimized network agrees with itself on every held-out image.
        var self = FineTuning.Run(original, data, new TrainingOptions { BatchSize = 16, Seed = 2 }, epochs: 1);
        Assert.Equal(1.0, self.HeldOutAccuracyBefore);
    }

    [Fact]
    public void ATeacherWithOtherOutputs_IsRefused()
    {
        var merged = Merged(out _);
        var other = ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.125, Classes: 10, CalibrationSamples: 0));
        var data = TrainingData.Generated(merged.InputShape, 16, 8);
        var e = Assert.Throws<ArgumentException>(() => FineTuning.Run(merged, data, new TrainingOptions(), 1, teacher: other));
        Assert.Contains("the teacher outputs", e.Message);
    }
}
