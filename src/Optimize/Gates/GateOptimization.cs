using CoPriv.Models.Graph;

namespace CoPriv.Optimize;

/// <summary>
/// 2PC-aware network optimization by gates (issue 12): a search phase trains the weights and one gate per
/// <see cref="GateGroup"/> under the loss L_task − λ_c·Σ_i CommSaving_i·max(α_i, 0) (<see cref="GateSearch"/>), keeping
/// the ⌊keep·n⌋ gates with the smallest α at every step; then the selection is fixed, the removed groups' activations
/// become the identity and the weights are fine-tuned. The server runs it on its own network and data.
/// </summary>
public static class GateOptimization
{
    public static GateOptimizationResult Run(ModelGraph graph, IReadOnlyList<GateGroup> groups, TrainingData data,
        GateOptimizationOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckGroups(graph, groups);
        using var session = new TrainingSession(graph, data, options.Training, progress, cancellation);
        var module = session.Module;
        double before = session.HeldOutAccuracy();

        using var gates = new GateSearch(groups, GateSelection.KeepCount(options.KeepFraction, groups.Count), module.DType);
        module.ActivationRewrite = gates;
        var history = new List<EpochReport>();
        using (var weights = session.WeightOptimizer(options.Training.LearningRate))
        using (var alpha = TorchSharp.torch.optim.SGD([gates.Alpha], options.GateLearningRate))
        {
            history.AddRange(session.Run(new TrainingPhase
            {
                Name = "search",
                Epochs = options.SearchEpochs,
                Weights = weights,
                LearningRate = options.Training.LearningRate,
                Extra = alpha,
                Penalty = () => gates.CommunicationPenalty(options.CommunicationWeight),
                BeforeStep = gates.Reselect,
                Detail = () => $"removed {string.Join(", ", groups.Where((_, i) => !gates.Kept[i]).Select(g => g.Id))}",
            }));
        }
        gates.Reselect();
        var kept = gates.Kept.ToArray();
        var alphaValues = gates.AlphaValues();
        var linear = groups.Where((_, i) => !kept[i]).SelectMany(g => g.ActivationNodes).ToArray();
        module.ActivationRewrite = new FixedLinearization(linear);
        var (afterSearch, afterFineTune) = session.FineTuneChoice("finetune", options.FineTuneEpochs,
            options.FineTuneLearningRate ?? options.Training.LearningRate, () => $"{linear.Length} activation nodes linear", history);
        return new GateOptimizationResult(groups, kept, alphaValues, module.ToGraph(), data, session.Distills, before,
            afterSearch, afterFineTune, history);
    }

    private static void CheckGroups(ModelGraph graph, IReadOnlyList<GateGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 0) throw new ArgumentException("no gate groups: there is nothing to search");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var activations = graph.Nodes.Where(n => n.Operator is Relu or Relu6).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            ArgumentNullException.ThrowIfNull(group);
            if (string.IsNullOrWhiteSpace(group.Id)) throw new ArgumentException("a gate group needs an id");
            if (!ids.Add(group.Id)) throw new ArgumentException($"two gate groups are named '{group.Id}'");
            if (group.ActivationNodes is not { Count: > 0 }) throw new ArgumentException($"gate group '{group.Id}' has no activation nodes");
            if (!(group.CommSavingBits >= 0) || double.IsInfinity(group.CommSavingBits))
                throw new ArgumentException($"gate group '{group.Id}': the communication saving must be a non-negative number of bits, got {group.CommSavingBits}");
            foreach (var node in group.ActivationNodes)
            {
                if (!activations.Contains(node))
                    throw new ArgumentException($"gate group '{group.Id}': model '{graph.Name}' has no ReLU or ReLU6 node '{node}'");
                if (owner.TryGetValue(node, out var other))
                    throw new ArgumentException($"activation node '{node}' is in gate groups '{other}' and '{group.Id}'");
                owner[node] = group.Id;
            }
        }
    }
}
