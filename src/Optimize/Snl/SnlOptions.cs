namespace CoPriv.Optimize;

/// <summary>
/// The SNL baseline (Cho et al., Selective Network Linearization): the ReLU budget (channel-ReLUs kept × their
/// pixels), the epochs of the mask search and of the fine-tuning, and the schedule of the L1 penalty: it starts at
/// <see cref="InitialPenalty"/> and grows by <see cref="PenaltyGrowth"/> at every check (each
/// <see cref="PenaltyCheckSteps"/> steps) at which the ReLU count has not fallen since the last one; the search ends
/// at the first check within the budget.
/// </summary>
public sealed record SnlOptions
{
    public required long ReluBudget { get; init; }

    /// <summary>The activation nodes to mask (null: every ReLU and ReLU6 node).</summary>
    public IReadOnlyList<string>? Nodes { get; init; }

    public int SearchEpochs { get; init; } = 5;
    public int FineTuneEpochs { get; init; } = 5;
    public double InitialPenalty { get; init; } = 1.0;
    public double PenaltyGrowth { get; init; } = 2.0;
    public int PenaltyCheckSteps { get; init; } = 10;

    /// <summary>The masks' learning rate (plain SGD: the penalty lowers a mask in proportion to the ReLUs it stands for).</summary>
    public double MaskLearningRate { get; init; } = 0.1;

    public double? FineTuneLearningRate { get; init; }
    public TrainingOptions Training { get; init; } = new();

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training);
        if (ReluBudget < 0) throw new ArgumentException($"the ReLU budget must be 0 or more, got {ReluBudget}");
        if (SearchEpochs <= 0) throw new ArgumentException($"the mask search needs at least one epoch, got {SearchEpochs}");
        if (FineTuneEpochs < 0) throw new ArgumentException($"fine-tuning epochs must be 0 or more, got {FineTuneEpochs}");
        if (!(InitialPenalty > 0)) throw new ArgumentException($"the initial penalty must be positive, got {InitialPenalty}");
        if (!(PenaltyGrowth >= 1)) throw new ArgumentException($"the penalty growth must be at least 1, got {PenaltyGrowth}");
        if (PenaltyCheckSteps <= 0) throw new ArgumentException($"the penalty is checked every 1 or more steps, got {PenaltyCheckSteps}");
        if (!(MaskLearningRate > 0)) throw new ArgumentException($"the masks' learning rate must be positive, got {MaskLearningRate}");
        if (FineTuneLearningRate is { } rate && !(rate > 0)) throw new ArgumentException($"the fine-tuning learning rate must be positive, got {rate}");
        Training.Validate();
    }
}
