using CoPriv.Models.Graph;

namespace CoPriv.Optimize;

/// <summary>
/// What the SNL baseline kept: per masked node the channels that keep their ReLU and the ReLU count, the fine-tuned
/// weights and the held-out accuracy measured in libtorch with the masks applied. <see cref="FineTunedGraph"/> holds
/// every activation node unchanged (the weights); <see cref="MaskedGraph"/> is the network itself, each masked node a
/// ReLU/ReLU6 with its kept channels (identity on the others), which lowers, runs securely and exports like any other.
/// </summary>
public sealed class SnlResult : TrainingRunResult
{
    internal SnlResult(IReadOnlyList<SnlNodeChannels> nodes, long budget, bool reachedBudget, int searchSteps, double penalty,
        ModelGraph fineTunedGraph, TrainingData data, bool distilled, double before, double afterSearch, double after,
        IReadOnlyList<EpochReport> history)
        : base(fineTunedGraph, data, distilled, before, afterSearch, after, history)
    {
        Nodes = nodes;
        ReluBudget = budget;
        SearchReachedBudget = reachedBudget;
        SearchSteps = searchSteps;
        FinalPenalty = penalty;
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

    /// <summary>The fine-tuned network with each masked node keeping its activation on its kept channels only.</summary>
    public ModelGraph MaskedGraph()
    {
        var kept = Nodes.ToDictionary(n => n.Node, StringComparer.Ordinal);
        return FineTunedGraph.WithNodes(FineTunedGraph.Nodes.Select(node =>
        {
            if (!kept.TryGetValue(node.Name, out var channels)) return node;
            var mask = channels.Mask();
            return node.WithOperator(node.Operator switch
            {
                Relu6 => new Relu6(mask),
                Relu => new Relu(mask),
                _ => throw new InvalidOperationException($"SNL masked node '{node.Name}' is a {node.Operator.Kind}, not a ReLU or ReLU6"),
            });
        }));
    }
}
