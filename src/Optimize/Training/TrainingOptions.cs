using TorchSharp;

namespace CoPriv.Optimize;

/// <summary>
/// How the network's weights are trained in every phase: SGD with Nesterov momentum and weight decay, the learning
/// rate following a cosine from <see cref="LearningRate"/> to 0 over each phase; the task loss is cross-entropy with
/// label smoothing on labelled data, or distillation from the unoptimized network on generated data
/// (<see cref="DistillationWeight"/> · T² · KL(teacher_T ‖ student_T) + (1 − weight) · cross-entropy on the teacher's
/// class, T = <see cref="DistillationTemperature"/>).
/// </summary>
public sealed record TrainingOptions
{
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.01;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    public double LabelSmoothing { get; init; } = 0.1;
    public double DistillationTemperature { get; init; } = 4.0;
    public double DistillationWeight { get; init; } = 0.7;

    /// <summary>Random crops (zero padding 4) and horizontal flips of labelled images; generated images are never augmented.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Also report every this many steps (0: once per epoch only).</summary>
    public int ReportEverySteps { get; init; }

    /// <summary>Measure held-out accuracy after every epoch (otherwise only before and after the whole run).</summary>
    public bool EvaluateEveryEpoch { get; init; } = true;

    /// <summary>
    /// The network's number type while training. float64 by default: libtorch 2.10's float32 convolutions run on
    /// oneDNN, whose backward pass returned NaN gradients now and then (a race: up to 24 of 40 steps with 2 threads,
    /// ~1 in 100 with 1) for channel counts that are not a multiple of 16, which every reduced-width zoo model and
    /// MobileNetV2 at any width has; float64 convolutions do not use oneDNN. float32 is 1.5–3.5× faster where it works
    /// (src/Optimize/README.md).
    /// </summary>
    public torch.ScalarType Precision { get; init; } = torch.ScalarType.Float64;

    /// <summary>libtorch intra-op threads.</summary>
    public int Threads { get; init; } = TorchRuntime.DefaultThreads;

    /// <summary>Seeds libtorch, the shuffling and the augmentation.</summary>
    public ulong Seed { get; init; } = 1;

    internal void Validate()
    {
        if (BatchSize < 2) throw new ArgumentException($"the batch size must be at least 2 (BatchNorm needs a batch), got {BatchSize}");
        if (!(LearningRate > 0)) throw new ArgumentException($"the learning rate must be positive, got {LearningRate}");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentException($"the momentum must be in [0, 1), got {Momentum}");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"the weight decay must be non-negative, got {WeightDecay}");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentException($"the label smoothing must be in [0, 1), got {LabelSmoothing}");
        if (!(DistillationTemperature > 0)) throw new ArgumentException($"the distillation temperature must be positive, got {DistillationTemperature}");
        if (!(DistillationWeight >= 0 && DistillationWeight <= 1)) throw new ArgumentException($"the distillation weight must be in [0, 1], got {DistillationWeight}");
        if (ReportEverySteps < 0) throw new ArgumentException($"report-every-steps must be 0 or more, got {ReportEverySteps}");
        if (Precision is not (torch.ScalarType.Float32 or torch.ScalarType.Float64))
            throw new ArgumentException($"training runs in float32 or float64, not {Precision}");
        if (Threads <= 0) throw new ArgumentException($"libtorch needs at least one thread, got {Threads}");
    }
}
