using CoPriv.Models.Optimization;
using System.Diagnostics;
using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Inputs;
using CoPriv.Models.Zoo;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CoPriv.Optimize.Tests;

public class GateOptimizationTests(ITestOutputHelper output)
{
    /// <summary>b1…b4 save 1, 4, 2 and 3 units of 100 MB.</summary>
    private static readonly double[] SavingUnits = [1, 4, 2, 3];

    private static IReadOnlyList<GateGroup> FourBlockGroups() =>
        SavingUnits.Select((units, i) => new GateGroup($"b{i + 1}", [$"b{i + 1}.relu"], units * GateGroup.BitsPerCommunicationUnit)).ToArray();

    private static GateOptimizationResult SearchFourBlocks(double communicationWeight) => GateOptimization.Run(
        TestGraphs.FourBlocks(), FourBlockGroups(), TrainingData.Generated(TestGraphs.FourBlocks().InputShape, 64, 16, seed: 2),
        new GateOptimizationOptions
        {
            KeepFraction = 0.5, CommunicationWeight = communicationWeight, SearchEpochs = 3, FineTuneEpochs = 0,
            Training = new TrainingOptions { BatchSize = 16, Seed = 4 },
        });

    [Fact]
    public void A_large_communication_weight_removes_the_groups_that_save_most()
    {
        var withoutCost = SearchFourBlocks(0);
        var dominated = SearchFourBlocks(1e3);
        output.WriteLine($"λ_c = 0: removed {string.Join(", ", withoutCost.RemovedGroupIds)}; λ_c = 1e3: removed {string.Join(", ", dominated.RemovedGroupIds)}");
        Assert.Equal(["b2", "b4"], dominated.RemovedGroupIds);
        Assert.True(dominated.Alpha["b2"] > dominated.Alpha["b4"] && dominated.Alpha["b4"] > dominated.Alpha["b3"] && dominated.Alpha["b3"] > dominated.Alpha["b1"]);
        Assert.True(dominated.RemovedCommSavingBits >= withoutCost.RemovedCommSavingBits);
        Assert.NotEqual(withoutCost.RemovedGroupIds, dominated.RemovedGroupIds);
    }

    [Fact]
    public void The_search_is_deterministic_for_a_seed()
    {
        var first = SearchFourBlocks(1e-4);
        var second = SearchFourBlocks(1e-4);
        Assert.Equal(first.RemovedGroupIds, second.RemovedGroupIds);
        Assert.Equal(first.Alpha, second.Alpha);
    }

    [Fact]
    public void Generated_data_is_labelled_by_the_unoptimized_network_and_distilled()
    {
        var result = SearchFourBlocks(1e-4);
        Assert.Equal(TrainingDataSource.Generated, result.DataSource);
        Assert.True(result.Distilled);
        Assert.Equal(1.0, result.HeldOutAccuracyBefore);
        Assert.Contains("generated", result.DataDescription);
    }

    [Fact]
    public void The_linearized_graph_computes_what_the_fine_tuned_network_with_its_linear_activations_does()
    {
        var graph = TestGraphs.FourBlocks();
        var result = GateOptimization.Run(graph, FourBlockGroups(), TrainingData.Generated(graph.InputShape, 32, 8),
            new GateOptimizationOptions { KeepFraction = 0.5, SearchEpochs = 1, FineTuneEpochs = 1, Training = new TrainingOptions { BatchSize = 16 } });
        var linearized = result.LinearizedGraph();
        Assert.Equal(graph.Nodes.Count - 2, linearized.Nodes.Count);
        Assert.DoesNotContain(linearized.Nodes, n => result.RemovedActivationNodes.Contains(n.Name));

        using var module = TorchGraphModule.FromGraph(result.FineTunedGraph, ScalarType.Float64);
        module.ActivationRewrite = new FixedLinearization(result.RemovedActivationNodes);
        var images = TestGraphs.RandomImages(graph.InputShape, 3);
        Assert.True(TestGraphs.MaxAbsDifference(TestGraphs.FloatLogits(linearized, images), TestGraphs.TorchLogits(module, images)) < 1e-9);
    }

    [Fact]
    public void Quarter_width_MobileNetV2_is_searched_and_fine_tuned_on_a_small_CIFAR_file()
    {
        using var directory = new TemporaryDirectory();
        string file = TestGraphs.WriteCifarFile(directory.Path, CifarDataset.Cifar100, records: 320);
        var graph = ModelZoo.Create("mobilenetv2", TestGraphs.QuarterWidth);
        var groups = TestGraphs.ZooGateGroups(graph);
        var data = TrainingData.FromCifarFiles([file], CifarDataset.Cifar100, heldOutFraction: 0.2);
        var reports = new List<EpochReport>();
        var clock = Stopwatch.StartNew();
        var result = GateOptimization.Run(graph, groups, data,
            new GateOptimizationOptions
            {
                KeepFraction = 0.5, SearchEpochs = 1, FineTuneEpochs = 1,
                Training = new TrainingOptions { BatchSize = 32, ReportEverySteps = 4 },
            },
            new SynchronousProgress<EpochReport>(reports.Add));
        clock.Stop();
        foreach (var report in reports) output.WriteLine(report.ToString());
        output.WriteLine($"{groups.Count} groups; removed {string.Join(", ", result.RemovedGroupIds)}; held-out accuracy " +
                         $"{result.HeldOutAccuracyBefore:P1} → {result.HeldOutAccuracyAfterSearch:P1} → {result.HeldOutAccuracyAfter:P1}; " +
                         $"{result.ImagesPerSecond:F0} images/s; {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(TrainingDataSource.CifarFiles, result.DataSource);
        Assert.False(result.Distilled);
        Assert.Equal(groups.Count - groups.Count / 2, result.RemovedGroupIds.Count);
        Assert.InRange(result.HeldOutAccuracyAfter, 0, 1);
        Assert.Equal(["search", "finetune"], reports.Where(r => r.EpochEnd).Select(r => r.Phase));
        Assert.All(reports.Where(r => r.EpochEnd), r => Assert.NotNull(r.HeldOutAccuracy));
        Assert.Contains(reports, r => !r.EpochEnd);
        Assert.All(reports, r => Assert.True(r.ImagesPerSecond > 0 && double.IsFinite(r.Loss)));
        Assert.Equal(graph.Nodes.Count, result.FineTunedGraph.Nodes.Count);
        Assert.NotEqual(((Convolution)graph.NodeNamed("conv1").Operator).Weights, ((Convolution)result.FineTunedGraph.NodeNamed("conv1").Operator).Weights);
    }

    [Fact]
    public void A_group_naming_an_unknown_node_is_refused()
    {
        var graph = TestGraphs.FourBlocks();
        var error = Assert.Throws<ArgumentException>(() => GateOptimization.Run(graph, [new GateGroup("x", ["b1.conv"], 1)],
            TrainingData.Generated(graph.InputShape, 4, 2), new GateOptimizationOptions()));
        Assert.Contains("gate group 'x'", error.Message);
        Assert.Contains("'b1.conv'", error.Message);
    }

    [Fact]
    public void Removing_activations_rewires_their_readers_to_their_inputs()
    {
        var graph = TestGraphs.EveryOperator();
        var linearized = BlockLinearization.RemoveActivations(graph, ["relu6", "fc_relu"]);
        Assert.Equal(["bn", "bn"], [.. linearized.NodeNamed("shortcut").Inputs, .. linearized.NodeNamed("group_conv").Inputs]);
        Assert.Equal("fc_bn", linearized.NodeNamed("fc2").Inputs[0]);
        Assert.Throws<ArgumentException>(() => BlockLinearization.RemoveActivations(graph, ["bn"]));
    }
}

/// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
