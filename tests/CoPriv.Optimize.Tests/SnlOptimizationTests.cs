using CoPriv.Models.Optimization;
using CoPriv.Models.Graph;
using CoPriv.Models.Zoo;
using Xunit.Abstractions;

namespace CoPriv.Optimize.Tests;

public class SnlOptimizationTests(ITestOutputHelper output)
{
    [Fact]
    public void The_mask_search_reaches_the_ReLU_budget_and_binarizing_stays_within_it()
    {
        var graph = ModelZoo.Create("resnet32", TestGraphs.QuarterWidth with { WidthMultiplier = 0.125, CalibrationSamples = 2 });
        long total = graph.Nodes.Where(n => n.Operator is Relu).Sum(n => (long)graph.ShapeOf(n.Output).ElementCount);
        long budget = total * 3 / 10;
        var reports = new List<EpochReport>();
        var result = SnlOptimization.Run(graph, TrainingData.Generated(graph.InputShape, 64, 32, seed: 5),
            new SnlOptions
            {
                ReluBudget = budget, SearchEpochs = 10, FineTuneEpochs = 1, PenaltyCheckSteps = 1, MaskLearningRate = 0.5,
                Training = new TrainingOptions { BatchSize = 16 },
            },
            new SynchronousProgress<EpochReport>(reports.Add));
        foreach (var report in reports) output.WriteLine(report.ToString());
        output.WriteLine($"ReLUs {result.OriginalReluCount} → {result.ReluCount} (budget {budget}) after {result.SearchSteps} search steps, " +
                         $"λ {result.FinalPenalty}; held-out agreement {result.HeldOutAccuracyBefore:P1} → {result.HeldOutAccuracyAfterSearch:P1} → {result.HeldOutAccuracyAfter:P1}; {result.ImagesPerSecond:F0} images/s");

        Assert.Equal(total, result.OriginalReluCount);
        Assert.True(result.SearchReachedBudget, "the soft masks did not get within the budget");
        Assert.InRange(result.ReluCount, budget - result.Nodes.Max(n => n.PixelsPerChannel), budget);
        Assert.All(result.Nodes, n => Assert.All(n.KeptChannels, c => Assert.InRange(c, 0, n.Channels - 1)));
        Assert.Contains(reports, r => r.Phase == "snl-finetune" && r.EpochEnd);

        // The result as a network of channel-masked ReLUs: the float executor computes what libtorch computed with the
        // masks, and its ReLU count is the result's.
        var masked = result.MaskedGraph();
        var images = TestGraphs.RandomImages(graph.InputShape, 3);
        var withMasks = SnlOptimization.Logits(result.FineTunedGraph, result.Nodes, images).SelectMany(l => l).ToArray();
        Assert.True(TestGraphs.MaxAbsDifference(TestGraphs.FloatLogits(masked, images), withMasks) < 1e-9);
        using var module = TorchGraphModule.FromGraph(masked, TorchSharp.torch.ScalarType.Float64);
        Assert.True(TestGraphs.MaxAbsDifference(withMasks, TestGraphs.TorchLogits(module, images)) < 1e-9);
        Assert.Equal(result.ReluCount, Models.Statistics.ModelStatistics.Of(masked).ReluCount);
    }

    [Fact]
    public void Binary_masks_mean_the_activation_where_kept_and_the_identity_elsewhere()
    {
        var graph = TestGraphs.EveryOperator();
        var images = TestGraphs.RandomImages(graph.InputShape, 3);
        var activations = graph.Nodes.Where(n => n.Operator is Relu or Relu6).ToArray();
        SnlNodeChannels Channels(Node node, bool all)
        {
            var shape = graph.ShapeOf(node.Output);
            return new SnlNodeChannels(node.Name, shape[0], shape.ElementCount / shape[0], all ? Enumerable.Range(0, shape[0]).ToArray() : []);
        }

        var allKept = SnlOptimization.Logits(graph, activations.Select(n => Channels(n, true)).ToArray(), images);
        Assert.True(TestGraphs.MaxAbsDifference(TestGraphs.FloatLogits(graph, images), allKept.SelectMany(l => l).ToArray()) < 1e-9);

        var noneKept = SnlOptimization.Logits(graph, activations.Select(n => Channels(n, false)).ToArray(), images);
        var linear = BlockLinearization.RemoveActivations(graph, activations.Select(n => n.Name));
        Assert.True(TestGraphs.MaxAbsDifference(TestGraphs.FloatLogits(linear, images), noneKept.SelectMany(l => l).ToArray()) < 1e-9);

        var someKept = SnlOptimization.Logits(graph, [new SnlNodeChannels("relu", 8, 25, [1, 6])], images);
        Assert.True(TestGraphs.MaxAbsDifference(allKept.SelectMany(l => l).ToArray(), someKept.SelectMany(l => l).ToArray()) > 1e-6);
    }

    [Fact]
    public void A_node_that_is_not_an_activation_is_refused()
    {
        var graph = TestGraphs.FourBlocks();
        var error = Assert.Throws<ArgumentException>(() => SnlOptimization.Run(graph, TrainingData.Generated(graph.InputShape, 4, 2),
            new SnlOptions { ReluBudget = 10, Nodes = ["b1.bn"] }));
        Assert.Contains("'b1.bn'", error.Message);
    }
}
