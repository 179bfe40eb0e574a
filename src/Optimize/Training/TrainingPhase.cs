using TorchSharp;
using static TorchSharp.torch;

namespace CoPriv.Optimize;

/// <summary>
/// One phase of a run (search, fine-tuning): how many epochs, the optimizer of the network's weights (its learning
/// rate follows a cosine over the phase), an optional optimizer of the phase's own parameters (gates, masks) at a
/// constant rate, and the phase's hooks: a penalty added to the task loss, an action before each step, a check after
/// each step that may end the phase early, and its state in words for the reports.
/// </summary>
internal sealed class TrainingPhase
{
    public required string Name { get; init; }
    public required int Epochs { get; init; }
    public required optim.Optimizer Weights { get; init; }
    public required double LearningRate { get; init; }
    public optim.Optimizer? Extra { get; init; }
    public Func<Tensor>? Penalty { get; init; }
    public Action? BeforeStep { get; init; }

    /// <summary>Called after each optimizer step; true ends the phase.</summary>
    public Func<bool>? AfterStep { get; init; }

    public Func<string>? Detail { get; init; }
}
