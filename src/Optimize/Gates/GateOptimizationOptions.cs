namespace CoPriv.Optimize;

/// <summary>
/// The gate search and fine-tuning: the fraction of gates kept, λ_c (per 100 MB of communication saved), the epochs
/// of each phase, the gates' learning rate (plain SGD, so each α moves in proportion to its gradient and a larger
/// saving pushes its gate harder) and the weights' training (<see cref="TrainingOptions"/>).
/// </summary>
public sealed record GateOptimizationOptions
{
    /// <summary>Fraction of the gate groups that keep their activations (⌊keep·n⌋ groups).</summary>
    public double KeepFraction { get; init; } = 0.5;

    /// <summary>λ_c: loss per 100 MB of communication a removed group saves.</summary>
    public double CommunicationWeight { get; init; } = 1e-4;

    public int SearchEpochs { get; init; } = 5;

    /// <summary>Epochs with the selection fixed and removed activations linear (0: no fine-tuning).</summary>
    public int FineTuneEpochs { get; init; } = 5;

    public double GateLearningRate { get; init; } = 0.1;

    /// <summary>The weights' learning rate when fine-tuning (null: the training options' rate).</summary>
    public double? FineTuneLearningRate { get; init; }

    public TrainingOptions Training { get; init; } = new();

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training);
        GateSelection.KeepCount(KeepFraction, 1);
        if (!(CommunicationWeight >= 0)) throw new ArgumentException($"λ_c must be non-negative, got {CommunicationWeight}");
        if (SearchEpochs <= 0) throw new ArgumentException($"the search needs at least one epoch, got {SearchEpochs}");
        if (FineTuneEpochs < 0) throw new ArgumentException($"fine-tuning epochs must be 0 or more, got {FineTuneEpochs}");
        if (!(GateLearningRate > 0)) throw new ArgumentException($"the gates' learning rate must be positive, got {GateLearningRate}");
        if (FineTuneLearningRate is { } rate && !(rate > 0)) throw new ArgumentException($"the fine-tuning learning rate must be positive, got {rate}");
        Training.Validate();
    }
}
