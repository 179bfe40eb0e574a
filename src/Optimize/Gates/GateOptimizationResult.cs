using CoPriv.Models.Graph;

namespace CoPriv.Optimize;

/// <summary>
/// What a gate search and fine-tuning chose and produced. <see cref="FineTunedGraph"/> has the fine-tuned weights and
/// still holds every activation node: the removed ones (<see cref="RemovedActivationNodes"/>) are to be linearized by
/// the graph passes; <see cref="LinearizedGraph"/> does the plain rewiring.
/// </summary>
public sealed class GateOptimizationResult
{
    internal GateOptimizationResult(IReadOnlyList<GateGroup> groups, IReadOnlyList<bool> kept, IReadOnlyList<double> alpha,
        ModelGraph fineTunedGraph, TrainingData data, bool distilled, double accuracyBefore, double accuracyAfterSearch,
        double accuracyAfter, IReadOnlyList<EpochReport> history)
    {
        Groups = groups;
        RemovedGroupIds = groups.Where((_, i) => !kept[i]).Select(g => g.Id).ToArray();
        KeptGroupIds = groups.Where((_, i) => kept[i]).Select(g => g.Id).ToArray();
        RemovedActivationNodes = groups.Where((_, i) => !kept[i]).SelectMany(g => g.ActivationNodes).ToArray();
        RemovedCommSavingBits = groups.Where((_, i) => !kept[i]).Sum(g => g.CommSavingBits);
        Alpha = groups.Select((g, i) => (g.Id, alpha[i])).ToDictionary(p => p.Id, p => p.Item2, StringComparer.Ordinal);
        FineTunedGraph = fineTunedGraph;
        DataSource = data.Source;
        DataDescription = data.Description;
        Distilled = distilled;
        HeldOutAccuracyBefore = accuracyBefore;
        HeldOutAccuracyAfterSearch = accuracyAfterSearch;
        HeldOutAccuracyAfter = accuracyAfter;
        History = history;
    }

    public IReadOnlyList<GateGroup> Groups { get; }

    /// <summary>The groups whose activations the search removed, in the order they were given.</summary>
    public IReadOnlyList<string> RemovedGroupIds { get; }

    public IReadOnlyList<string> KeptGroupIds { get; }
    public IReadOnlyList<string> RemovedActivationNodes { get; }
    public double RemovedCommSavingBits { get; }

    /// <summary>The final α of each group (larger: more wanted linear).</summary>
    public IReadOnlyDictionary<string, double> Alpha { get; }

    public ModelGraph FineTunedGraph { get; }
    public TrainingDataSource DataSource { get; }
    public string DataDescription { get; }

    /// <summary>True when the task loss was distillation from the unoptimized network (generated data).</summary>
    public bool Distilled { get; }

    /// <summary>The unoptimized network's held-out accuracy (against the teacher's own classes on generated data: 1).</summary>
    public double HeldOutAccuracyBefore { get; }

    /// <summary>With the final selection applied (removed activations linear) right after the search, before fine-tuning.</summary>
    public double HeldOutAccuracyAfterSearch { get; }

    public double HeldOutAccuracyAfter { get; }

    /// <summary>Every epoch's report, both phases.</summary>
    public IReadOnlyList<EpochReport> History { get; }

    /// <summary>Mean training throughput over all epochs.</summary>
    public double ImagesPerSecond => History.Count == 0 ? 0 : History.Average(r => r.ImagesPerSecond);

    /// <summary>The fine-tuned graph without the removed activation nodes (their readers read their inputs).</summary>
    public ModelGraph LinearizedGraph() => GraphLinearization.RemoveActivations(FineTunedGraph, RemovedActivationNodes);
}
