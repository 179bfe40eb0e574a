using System.Diagnostics;
using CoPriv.Inference.Planning;
using CoPriv.Models.Graph;
using CoPriv.Models.Optimization;
using CoPriv.Models.Statistics;
using CoPriv.Optimize;

namespace CoPriv.Cli.Commands;

/// <summary>
/// The server-side network optimization `copriv optimize` runs, joining the three rooms it needs: the exact cost model
/// (Inference: what each block's gate saves), the training (Optimize: gate search, SNL, fine-tuning) and the exact
/// graph passes (Models: linearize, merge). CoPriv's method: search the gates with the communication-weighted loss,
/// remove and merge the chosen blocks, then fine-tune the merged network (its dense convolutions, border maps and
/// the ReLU6 each merged block ends with) against the task, or the unoptimized network as teacher.
/// </summary>
internal sealed class OptimizationPipeline(ModelGraph model, RunSpec spec, TrainingData data, TrainingOptions training,
    int epochs, double communicationWeight, IProgress<EpochReport>? progress, CancellationToken cancellation)
{
    private IReadOnlyList<BlockCommunication>? _blocks;

    /// <summary>Each gated block's cost under the spec's protocol, planned once.</summary>
    public IReadOnlyList<BlockCommunication> Blocks => _blocks ??= BlockCommunication.Of(model, spec);

    public sealed record Outcome(ModelGraph Graph, double AccuracyBefore, double AccuracyAfter, bool Distilled,
        double ImagesPerSecond, IReadOnlyList<BlockReport> Blocks, IReadOnlyList<SnlNodeReport> Nodes);

    /// <summary>CoPriv's gates at <paramref name="keep"/>.</summary>
    public Outcome Gates(double keep)
    {
        var activations = ActivationBlocks.Of(model).ToDictionary(b => b.Id, b => b.ActivationNodes, StringComparer.Ordinal);
        var groups = Blocks.Where(b => activations[b.Id].Count > 0)
            .Select(b => new GateGroup(b.Id, activations[b.Id], Math.Max(0, b.SavedBytes) * 8.0))
            .ToArray();
        var search = GateOptimization.Run(model, groups, data, new GateOptimizationOptions
        {
            KeepFraction = keep,
            CommunicationWeight = communicationWeight,
            SearchEpochs = epochs,
            FineTuneEpochs = 0,
            Training = training,
        }, progress, cancellation);
        var merged = BlockLinearization.LinearizeAndMerge(search.FineTunedGraph, search.RemovedGroupIds);
        var tuned = FineTuning.Run(merged, data, training, epochs, teacher: model, progress, cancellation);
        var removed = search.RemovedGroupIds.ToHashSet(StringComparer.Ordinal);
        var blocks = Blocks.Select(b => new BlockReport(b.Id, b.Kind.ToString(), removed.Contains(b.Id), removed.Contains(b.Id) && b.Merges,
            search.Alpha.GetValueOrDefault(b.Id), b.PreprocessingBytesBefore, b.OnlineBytesBefore, b.PreprocessingBytesAfter, b.OnlineBytesAfter, b.SavedBytes)).ToArray();
        double throughput = search.History.Concat(tuned.History).Select(r => r.ImagesPerSecond).DefaultIfEmpty(0).Average();
        return new Outcome(tuned.Graph, search.HeldOutAccuracyBefore, tuned.HeldOutAccuracyAfter, search.Distilled, throughput, blocks, []);
    }

    /// <summary>The SNL baseline with a ReLU budget of <paramref name="keep"/> × the network's ReLUs.</summary>
    public Outcome Snl(double keep)
    {
        long budget = (long)Math.Floor(keep * ModelStatistics.Of(model).ReluCount);
        var result = SnlOptimization.Run(model, data, new SnlOptions
        {
            ReluBudget = budget,
            SearchEpochs = epochs,
            FineTuneEpochs = epochs,
            Training = training,
        }, progress, cancellation);
        var nodes = result.Nodes.Select(n => new SnlNodeReport(n.Node, n.Channels, n.KeptChannels.Count, n.ReluCount)).ToArray();
        return new Outcome(result.MaskedGraph(), result.HeldOutAccuracyBefore, result.HeldOutAccuracyAfter, result.Distilled,
            result.ImagesPerSecond, [], nodes);
    }

    /// <summary>The whole network's cost before and after, under cryptflow2 and copriv (the spec's ring and scale).</summary>
    public IReadOnlyList<ProtocolComparison> Compare(ModelGraph optimized) =>
        new[] { "cryptflow2", "copriv" }.Select(protocol =>
        {
            var other = spec.WithProtocol(protocol);
            return new ProtocolComparison(protocol, Cost(model, other), Cost(optimized, other));
        }).ToArray();

    public static NetworkCost Cost(ModelGraph graph, RunSpec spec)
    {
        var cost = SecureInferencePlan.ForModel(graph, spec).PredictedCost;
        return new NetworkCost(cost.TotalBytes, cost.PreprocessingBytes, cost.OnlineBytes);
    }

    public static double Seconds(Stopwatch watch) => Math.Round(watch.Elapsed.TotalSeconds, 1);
}
