using CoPriv.Models.Graph;
using TorchSharp;
using static TorchSharp.torch;
using ModelTensor = CoPriv.Models.Tensors.Tensor;

namespace CoPriv.Optimize;

/// <summary>
/// The SNL baseline (Cho et al., Selective Network Linearization) for comparison with the gates: channel-wise ReLU
/// masks trained with the weights under an L1 penalty that grows until the ReLU count is within the budget
/// (<see cref="ChannelMasks"/>), then the channels with the largest masks are kept within the budget exactly, the
/// others become linear, and the weights are fine-tuned. Server-side, on the server's network and data.
/// </summary>
public static class SnlOptimization
{
    public static SnlResult Run(ModelGraph graph, TrainingData data, SnlOptions options, IProgress<EpochReport>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var nodes = MaskedNodes(graph, options.Nodes);
        using var session = new TrainingSession(graph, data, options.Training, progress, cancellation);
        var module = session.Module;
        double before = session.HeldOutAccuracy();

        using var masks = new ChannelMasks(graph, nodes, module.DType) { PenaltyWeight = options.InitialPenalty };
        module.ActivationRewrite = masks;
        long lastCount = masks.ReluCount();
        int steps = 0;
        bool reached = lastCount <= options.ReluBudget;
        var history = new List<EpochReport>();
        if (!reached)
        {
            using var weights = session.WeightOptimizer(options.Training.LearningRate);
            using var maskOptimizer = optim.SGD(masks.Masks, options.MaskLearningRate);
            history.AddRange(session.Run(new TrainingPhase
            {
                Name = "snl-search",
                Epochs = options.SearchEpochs,
                Weights = weights,
                LearningRate = options.Training.LearningRate,
                Extra = maskOptimizer,
                Penalty = masks.Penalty,
                AfterStep = () =>
                {
                    if (++steps % options.PenaltyCheckSteps != 0) return false;
                    long count = masks.ReluCount();
                    if (count <= options.ReluBudget) return reached = true;
                    if (count >= lastCount) masks.PenaltyWeight *= options.PenaltyGrowth;
                    lastCount = count;
                    return false;
                },
                Detail = () => $"ReLUs {masks.ReluCount():N0} (budget {options.ReluBudget:N0}), λ {masks.PenaltyWeight:G3}",
            }));
            reached |= masks.ReluCount() <= options.ReluBudget;
        }
        var kept = masks.Binarize(options.ReluBudget);
        using var fixedMasks = new FixedChannelMasks(kept);
        module.ActivationRewrite = fixedMasks;
        var (afterSearch, after) = session.FineTuneChoice("snl-finetune", options.FineTuneEpochs,
            options.FineTuneLearningRate ?? options.Training.LearningRate, () => $"ReLUs {kept.Sum(n => n.ReluCount):N0}", history);
        return new SnlResult(kept, options.ReluBudget, reached, steps, masks.PenaltyWeight, module.ToGraph(), data,
            session.Distills, before, afterSearch, after, history);
    }

    /// <summary>
    /// The logits of <paramref name="graph"/> with SNL's channels applied (kept channels ReLU, the others identity),
    /// evaluated in libtorch in float64: the meaning of a partly linearized network, which the graph IR cannot state.
    /// </summary>
    public static double[][] Logits(ModelGraph graph, IReadOnlyList<SnlNodeChannels> nodes, IReadOnlyList<ModelTensor> images)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(images);
        using var module = TorchGraphModule.FromGraph(graph, ScalarType.Float64);
        using var masks = new FixedChannelMasks(nodes);
        module.ActivationRewrite = masks;
        module.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var logits = TorchTensors.ToDoubles(module.forward(TorchTensors.Batch(images, ScalarType.Float64)));
        int classes = logits.Length / images.Count;
        return Enumerable.Range(0, images.Count).Select(i => logits[(i * classes)..((i + 1) * classes)]).ToArray();
    }

    private static IReadOnlyList<string> MaskedNodes(ModelGraph graph, IReadOnlyList<string>? requested)
    {
        var activations = graph.Nodes.Where(n => n.Operator is Relu or Relu6).Select(n => n.Name).ToArray();
        if (requested is null) return activations;
        var known = activations.ToHashSet(StringComparer.Ordinal);
        foreach (var name in requested)
            if (!known.Contains(name))
                throw new ArgumentException($"model '{graph.Name}' has no ReLU or ReLU6 node '{name}' to mask");
        if (requested.Distinct(StringComparer.Ordinal).Count() != requested.Count)
            throw new ArgumentException("a node is listed twice among the SNL nodes");
        return requested;
    }
}
