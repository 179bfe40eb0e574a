using CoPriv.Models.Optimization;
using CoPriv.Models.Graph;

namespace CoPriv.Optimize;

/// <summary>
/// What a gate search and fine-tuning chose and produced. <see cref="FineTunedGraph"/> has the fine-tuned weights and
/// still holds every activation node: the removed ones (<see cref="RemovedActivationNodes"/>) are to be linearized by
/// the graph passes; <see cref="LinearizedGraph"/> does the plain rewiring.
/// </summary>
public sealed class GateOptimizationResult : TrainingRunResult
{
    internal GateOptimizationResult(IReadOnlyList<GateGroup> groups, IReadOnlyList<bool> kept, IReadOnlyList<double> alpha,
        ModelGraph fineTunedGraph, TrainingData data, bool distilled, double accuracyBefore, double accuracyAfterSearch,
        double accuracyAfter, IReadOnlyList<EpochReport> history)
        : base(fineTunedGraph, data, distilled, accuracyBefore, accuracyAfterSearch, accuracyAfter, history)
    {
        Groups = groups;
        RemovedGroupIds = groups.Where((_, i) => !kept[i]).Select(g => g.Id).ToArray();
        KeptGroupIds = groups.Where((_, i) => kept[i]).Select(g => g.Id).ToArray();
        RemovedActivationNodes = groups.Where((_, i) => !kept[i]).SelectMany(g => g.ActivationNodes).ToArray();
        RemovedCommSavingBits = groups.Where((_, i) => !kept[i]).Sum(g => g.CommSavingBits);
        Alpha = groups.Select((g, i) => (g.Id, alpha[i])).ToDictionary(p => p.Id, p => p.Item2, StringComparer.Ordinal);
    }

    public IReadOnlyList<GateGroup> Groups { get; }

    /// <summary>The groups whose activations the search removed, in the order they were given.</summary>
    public IReadOnlyList<string> RemovedGroupIds { get; }

    public IReadOnlyList<string> KeptGroupIds { get; }
    public IReadOnlyList<string> RemovedActivationNodes { get; }
    public double RemovedCommSavingBits { get; }

    /// <summary>The final α of each group (larger: more wanted linear).</summary>
    public IReadOnlyDictionary<string, double> Alpha { get; }

    /// <summary>The fine-tuned graph without the removed activation nodes (their readers read their inputs).</summary>
    public ModelGraph LinearizedGraph() => BlockLinearization.RemoveActivations(FineTunedGraph, RemovedActivationNodes);
}
