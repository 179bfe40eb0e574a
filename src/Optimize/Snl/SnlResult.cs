using CoPriv.Models.Graph;

namespace CoPriv.Optimize;

/// <summary>
/// What the SNL baseline kept: per masked node the channels that keep their ReLU and the ReLU count, the fine-tuned
/// weights and the held-out accuracy measured in libtorch with the masks applied. A partly linearized node (some
/// channels ReLU, some identity) has no operator in the graph IR, so <see cref="FineTunedGraph"/> holds every
/// activation node unchanged: it is the weights, not the network; <see cref="SnlOptimization.Logits"/> evaluates the
/// network (graph + masks) in libtorch.
/// </summary>
public sealed class SnlResult
{
    internal SnlResult(IReadOnlyList<SnlNodeChannels> nodes, long budget, bool reachedBudget, int searchSteps, double penalty,
        ModelGraph fineTunedGraph, TrainingData data, bool distilled, double before, double afterSearch, double after,
        IReadOnlyList<EpochReport> history)
    {
        Nodes = nodes;
        ReluBudget = budget;
        SearchReachedBudget = reachedBudget;
        SearchSteps = searchSteps;
        FinalPenalty = penalty;
        FineTunedGraph = fineTunedGraph;
        DataSource = data.Source;
        DataDescription = data.Description;
        Distilled = distilled;
        HeldOutAccuracyBefore = before;
        HeldOutAccuracyAfterSearch = afterSearch;
        HeldOutAccuracyAfter = after;
        History = history;
    }

    public IReadOnlyList<SnlNodeChannels> Nodes { get; }
    public long ReluBudget { get; }
    public long ReluCount => Nodes.Sum(n => n.ReluCount);
    public long OriginalReluCount => Nodes.Sum(n => n.OriginalReluCount);

    /// <summary>True when the soft masks themselves got within the budget before the search ran out of epochs.</summary>
    public bool SearchReachedBudget { get; }

    public int SearchSteps { get; }

    /// <summary>λ at the end of the search.</summary>
    public double FinalPenalty { get; }

    public ModelGraph FineTunedGraph { get; }
    public TrainingDataSource DataSource { get; }
    public string DataDescription { get; }
    public bool Distilled { get; }
    public double HeldOutAccuracyBefore { get; }

    /// <summary>With the binarized masks, before fine-tuning.</summary>
    public double HeldOutAccuracyAfterSearch { get; }

    public double HeldOutAccuracyAfter { get; }
    public IReadOnlyList<EpochReport> History { get; }
    public double ImagesPerSecond => History.Count == 0 ? 0 : History.Average(r => r.ImagesPerSecond);
}
