using System.Diagnostics;
using CoPriv.Models.Graph;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CoPriv.Optimize;

/// <summary>
/// The network being optimized (a float32 <see cref="TorchGraphModule"/>), its data and task loss, and the loop that
/// runs a <see cref="TrainingPhase"/> over it. Labelled data gives cross-entropy with label smoothing; unlabelled
/// (generated) data is labelled once by the unoptimized network, whose logits the student is distilled towards.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private const int EvaluationBatch = 256;

    private readonly TrainingData _data;
    private readonly TrainingOptions _options;
    private readonly IProgress<EpochReport>? _progress;
    private readonly CancellationToken _cancellation;
    private readonly Random _random;
    private readonly int _classes;
    private readonly int[] _trainLabels;
    private readonly int[] _heldOutLabels;
    private readonly float[]? _teacherLogits;

    /// <param name="teacher">The network that labels generated data and is distilled from; null: <paramref name="graph"/> itself (the unoptimized network).</param>
    public TrainingSession(ModelGraph graph, TrainingData data, TrainingOptions options, IProgress<EpochReport>? progress,
        CancellationToken cancellation, ModelGraph? teacher = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.ImageShape != graph.InputShape)
            throw new ArgumentException($"the data's images are {data.ImageShape}; model '{graph.Name}' takes {graph.InputShape}");
        if (graph.OutputShape.Rank != 1)
            throw new ArgumentException($"model '{graph.Name}' outputs {graph.OutputShape}, not a vector of class scores");
        _classes = graph.OutputShape[0];
        if (data.LabelCount is { } labels && labels > _classes)
            throw new InvalidDataException(
                $"{data.Description}: labels name up to {labels} classes, model '{graph.Name}' has {_classes} outputs; is this the right dataset?");
        _data = data;
        _options = options;
        _progress = progress;
        _cancellation = cancellation;
        _random = new Random(unchecked((int)options.Seed));
        TorchRuntime.Prepare(options.Threads, options.Seed);
        if (data.IsLabelled)
        {
            _trainLabels = data.TrainLabels!;
            _heldOutLabels = data.HeldOutLabels!;
        }
        else
        {
            using var teacherModule = TorchGraphModule.FromGraph(teacher ?? graph, options.Precision);
            _teacherLogits = Logits(teacherModule, data.TrainImages);
            _trainLabels = ArgMax(_teacherLogits);
            _heldOutLabels = ArgMax(Logits(teacherModule, data.HeldOutImages));
        }
        Module = TorchGraphModule.FromGraph(graph, options.Precision);
    }

    public TorchGraphModule Module { get; }

    /// <summary>True when the task loss is distillation from the unoptimized network (no labelled data).</summary>
    public bool Distills => _teacherLogits is not null;

    public int StepsPerEpoch => Math.Max(1, _data.TrainCount / _options.BatchSize);

    public optim.Optimizer WeightOptimizer(double learningRate) => optim.SGD(Module.parameters(), learningRate,
        momentum: _options.Momentum, weight_decay: _options.WeightDecay, nesterov: _options.Momentum > 0);

    /// <summary>
    /// A weights-only phase (the architecture and any gates or masks fixed) with a fresh optimizer at
    /// <paramref name="learningRate"/>; returns its epoch-end reports.
    /// </summary>
    public IReadOnlyList<EpochReport> FineTune(string name, int epochs, double learningRate, Func<string>? detail = null)
    {
        using var weights = WeightOptimizer(learningRate);
        return Run(new TrainingPhase { Name = name, Epochs = epochs, Weights = weights, LearningRate = learningRate, Detail = detail });
    }

    /// <summary>
    /// The end of every search: with the search's choice already fixed in the module, the held-out accuracy right
    /// after the search, then <paramref name="epochs"/> of fine-tuning (reports appended to <paramref name="history"/>)
    /// and the accuracy after them (the same value when there are none).
    /// </summary>
    public (double AfterSearch, double After) FineTuneChoice(string name, int epochs, double learningRate, Func<string>? detail,
        List<EpochReport> history)
    {
        double afterSearch = HeldOutAccuracy();
        if (epochs == 0) return (afterSearch, afterSearch);
        history.AddRange(FineTune(name, epochs, learningRate, detail));
        return (afterSearch, HeldOutAccuracy());
    }

    /// <summary>Runs the phase; returns its epoch-end reports.</summary>
    public IReadOnlyList<EpochReport> Run(TrainingPhase phase)
    {
        var reports = new List<EpochReport>();
        int steps = StepsPerEpoch, batch = Math.Min(_options.BatchSize, _data.TrainCount), total = phase.Epochs * steps;
        for (int epoch = 1; epoch <= phase.Epochs; epoch++)
        {
            Module.train();
            var order = Enumerable.Range(0, _data.TrainCount).ToArray();
            _random.Shuffle(order);
            double lossSum = 0;
            long correct = 0, seen = 0;
            var clock = Stopwatch.StartNew();
            bool stop = false;
            int step = 0;
            while (step < steps && !stop)
            {
                _cancellation.ThrowIfCancellationRequested();
                int global = (epoch - 1) * steps + step;
                foreach (var group in phase.Weights.ParamGroups)
                    group.LearningRate = phase.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * global / total));
                var indices = order.AsSpan(step * batch, batch);
                phase.BeforeStep?.Invoke();
                using (var scope = torch.NewDisposeScope())
                {
                    phase.Weights.zero_grad();
                    phase.Extra?.zero_grad();
                    var images = Batch(_data.TrainImages, indices, augment: _data.IsLabelled && _options.Augment);
                    var logits = Module.forward(images);
                    var loss = TaskLoss(logits, indices);
                    if (phase.Penalty is { } penalty) loss = loss + penalty();
                    double lossValue = loss.to_type(ScalarType.Float64).item<double>();
                    if (!double.IsFinite(lossValue))
                        throw new InvalidOperationException(
                            $"{phase.Name} epoch {epoch} step {step + 1}: the loss is {lossValue}; training diverged" + (Module.DType == ScalarType.Float32
                                ? " (float32 convolutions can return NaN gradients here, see TrainingOptions.Precision)"
                                : " (try a smaller learning rate)"));
                    loss.backward();
                    phase.Weights.step();
                    phase.Extra?.step();
                    lossSum += lossValue;
                    correct += logits.argmax(1).eq(Labels(_trainLabels, indices)).sum().item<long>();
                    seen += indices.Length;
                }
                step++;
                stop = phase.AfterStep?.Invoke() ?? false;
                bool epochEnd = step == steps || stop;
                if (epochEnd || (_options.ReportEverySteps > 0 && step % _options.ReportEverySteps == 0))
                {
                    double rate = seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                    double? heldOut = epochEnd && _options.EvaluateEveryEpoch ? HeldOutAccuracy() : null;
                    var report = new EpochReport(phase.Name, epoch, phase.Epochs, step, steps, epochEnd, lossSum / step,
                        (double)correct / seen, heldOut, rate, phase.Detail?.Invoke() ?? "");
                    if (epochEnd) reports.Add(report);
                    _progress?.Report(report);
                }
            }
            if (stop) break;
        }
        return reports;
    }

    /// <summary>Accuracy of the module (eval mode) on the held-out images: against their labels, or the teacher's classes.</summary>
    public double HeldOutAccuracy()
    {
        Module.eval();
        int per = _data.ImageShape.ElementCount, count = _data.HeldOutCount;
        long correct = 0;
        using (torch.no_grad())
            for (int start = 0; start < count; start += EvaluationBatch)
            {
                using var scope = torch.NewDisposeScope();
                var indices = Enumerable.Range(start, Math.Min(EvaluationBatch, count - start)).ToArray();
                var logits = Module.forward(Batch(_data.HeldOutImages, indices, augment: false));
                correct += logits.argmax(1).eq(Labels(_heldOutLabels, indices)).sum().item<long>();
            }
        return (double)correct / count;
    }

    private Tensor TaskLoss(Tensor logits, ReadOnlySpan<int> indices)
    {
        var labels = Labels(_trainLabels, indices);
        if (_teacherLogits is null) return F.cross_entropy(logits, labels, label_smoothing: _options.LabelSmoothing);
        var teacher = Rows(_teacherLogits, _classes, indices);
        double t = _options.DistillationTemperature, w = _options.DistillationWeight;
        var soft = F.kl_div(F.log_softmax(logits / t, 1), F.log_softmax(teacher / t, 1), log_target: true, reduction: nn.Reduction.Sum)
            / indices.Length * (t * t);
        return soft * w + F.cross_entropy(logits, labels) * (1 - w);
    }

    private static Tensor Labels(int[] labels, ReadOnlySpan<int> indices)
    {
        var selected = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++) selected[i] = labels[indices[i]];
        return torch.tensor(selected);
    }

    private Tensor Rows(float[] values, int width, ReadOnlySpan<int> indices)
    {
        var rows = new float[indices.Length * width];
        for (int i = 0; i < indices.Length; i++) Array.Copy(values, indices[i] * width, rows, i * width, width);
        return torch.tensor(rows, [indices.Length, width]).to_type(Module.DType);
    }

    /// <summary>A batch of images; augmented ones are randomly shifted by up to 4 pixels (zero fill) and mirrored.</summary>
    private Tensor Batch(float[] images, ReadOnlySpan<int> indices, bool augment)
    {
        var shape = _data.ImageShape;
        int per = shape.ElementCount;
        var batch = new float[indices.Length * per];
        for (int i = 0; i < indices.Length; i++)
        {
            if (!augment)
            {
                Array.Copy(images, indices[i] * per, batch, i * per, per);
                continue;
            }
            int dy = _random.Next(-4, 5), dx = _random.Next(-4, 5);
            bool mirror = _random.Next(2) == 1;
            int channels = shape.Channels, height = shape.Height, width = shape.Width;
            for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                int sy = y + dy;
                if (sy < 0 || sy >= height) continue;
                for (int x = 0; x < width; x++)
                {
                    int sx = (mirror ? width - 1 - x : x) + dx;
                    if (sx < 0 || sx >= width) continue;
                    batch[i * per + (c * height + y) * width + x] = images[indices[i] * per + (c * height + sy) * width + sx];
                }
            }
        }
        return torch.tensor(batch, [indices.Length, .. shape.Dimensions.Select(d => (long)d)]).to_type(_options.Precision);
    }

    private float[] Logits(TorchGraphModule module, float[] images)
    {
        module.eval();
        int count = images.Length / _data.ImageShape.ElementCount;
        var logits = new float[count * _classes];
        using (torch.no_grad())
            for (int start = 0; start < count; start += EvaluationBatch)
            {
                using var scope = torch.NewDisposeScope();
                var indices = Enumerable.Range(start, Math.Min(EvaluationBatch, count - start)).ToArray();
                module.forward(Batch(images, indices, augment: false)).to_type(ScalarType.Float32).contiguous().data<float>().ToArray()
                    .CopyTo(logits, start * _classes);
            }
        return logits;
    }

    private int[] ArgMax(float[] logits)
    {
        var classes = new int[logits.Length / _classes];
        for (int i = 0; i < classes.Length; i++)
        {
            var row = logits.AsSpan(i * _classes, _classes);
            int best = 0;
            for (int k = 1; k < row.Length; k++)
                if (row[k] > row[best]) best = k;
            classes[i] = best;
        }
        return classes;
    }

    public void Dispose() => Module.Dispose();
}
