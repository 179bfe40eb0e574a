using CoPriv.Models.Graph;

namespace CoPriv.Optimize;

/// <summary>
/// Training of a network's weights alone (no gates, no masks): how an optimized network is fine-tuned once its
/// architecture is fixed — e.g. the merged network CoPriv's block gates leave, whose dense convolutions, border maps
/// and appended ReLU6s the search never saw. On generated data the <c>teacher</c> (the unoptimized network) labels
/// the images and is distilled from.
/// </summary>
public static class FineTuning
{
    public static FineTuningResult Run(ModelGraph graph, TrainingData data, TrainingOptions options, int epochs,
        ModelGraph? teacher = null, IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        if (epochs < 1) throw new ArgumentException($"fine-tuning needs at least one epoch, got {epochs}", nameof(epochs));
        if (teacher is not null && teacher.OutputShape != graph.OutputShape)
            throw new ArgumentException($"the teacher outputs {teacher.OutputShape}, the network {graph.OutputShape}", nameof(teacher));
        using var session = new TrainingSession(graph, data, options, progress, cancellation, teacher);
        double before = session.HeldOutAccuracy();
        var history = session.FineTune("finetune", epochs, options.LearningRate);
        return new FineTuningResult(session.Module.ToGraph(), before, session.HeldOutAccuracy(), session.Distills, history);
    }
}

/// <param name="Graph">The network with the fine-tuned weights and BatchNorm statistics.</param>
/// <param name="HeldOutAccuracyBefore">Before fine-tuning: against the labels, or the teacher's classes.</param>
/// <param name="HeldOutAccuracyAfter">After fine-tuning, the same way.</param>
/// <param name="Distilled">True when the task loss was distillation from the teacher (generated data).</param>
/// <param name="History">Every epoch's report.</param>
public sealed record FineTuningResult(ModelGraph Graph, double HeldOutAccuracyBefore, double HeldOutAccuracyAfter, bool Distilled,
    IReadOnlyList<EpochReport> History)
{
    public double ImagesPerSecond => History.Count == 0 ? 0 : History.Average(r => r.ImagesPerSecond);
}
