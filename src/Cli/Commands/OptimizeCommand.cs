using System.ComponentModel;
using System.Diagnostics;
using CoPriv.Inference.Planning;
using CoPriv.Models.Inputs;
using CoPriv.Models.Onnx;
using CoPriv.Models.Sources;
using CoPriv.Models.Statistics;
using CoPriv.Models.Zoo;
using CoPriv.Optimize;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv optimize`: 2PC-aware network optimization of a zoo model or an ONNX file, on the server's side — CoPriv's
/// communication-weighted gates with block merging, or the SNL baseline — written as an ONNX model that every other
/// command takes, with a report of what it saves and what it costs in accuracy.
/// </summary>
public sealed class OptimizeCommand : Command<OptimizeCommand.Settings>
{
    private static readonly double[] SweepKeeps = [0.2, 0.4, 0.6, 0.8, 1.0];

    public sealed class Settings : RunSpecSettings
    {
        [CommandOption("--keep <FRACTION>")]
        [Description("Fraction of gates that keep their activations, more than 0 and at most 1 (copriv: of the blocks; snl: the ReLU budget as a fraction of the network's ReLUs).")]
        public double? Keep { get; init; }

        [CommandOption("--method <NAME>")]
        [Description("copriv (block gates weighted by the communication they save, merged blocks; default) or snl (channel-wise ReLU gates under an L1 penalty, Cho et al.).")]
        public string Method { get; init; } = "copriv";

        [CommandOption("--data <FILE>")]
        [Description("CIFAR binary batch files (repeat the option for several); 10 % of their images are held out for accuracy. Without it: distillation from the unoptimized network on generated images.")]
        public string[]? Data { get; init; }

        [CommandOption("--epochs <N>")]
        [Description("Epochs of the search and of the fine-tuning each (default 2).")]
        public int Epochs { get; init; } = 2;

        [CommandOption("--images <N>")]
        [Description("Generated training images without --data (default 512; a quarter as many more are held out).")]
        public int Images { get; init; } = 512;

        [CommandOption("--lambda <WEIGHT>")]
        [Description("λ_c, the loss per 100 MB of communication a removed block saves (default 0.1: the authors use 1e-4 over hundreds of thousands of steps; the penalty moves α in proportion to the steps, and a default run here has a few dozen).")]
        public double Lambda { get; init; } = 0.1;

        [CommandOption("--learning-rate <RATE>")]
        [Description("Initial learning rate of the weights (cosine to 0 over each phase; default 0.01).")]
        public double LearningRate { get; init; } = 0.01;

        [CommandOption("--batch <N>")]
        [Description("Training batch size (default 64).")]
        public int Batch { get; init; } = 64;

        [CommandOption("--seed <N>")]
        [Description("Seed of the zoo weights, the generated images and the training (default 1).")]
        public ulong Seed { get; init; } = 1;

        [CommandOption("--out <FILE.onnx>")]
        [Description("Where the optimized model is written (through a temporary file: nothing half-written is left there).")]
        public string? Out { get; init; }

        [CommandOption("--sweep [FILE.png]")]
        [Description("Also optimize at keep 0.2, 0.4, … 1.0 and chart communication against accuracy (default FILE: beside --out, .sweep.png).")]
        public FlagValue<string>? Sweep { get; init; }

        [CommandOption("--json")]
        [Description("Print the report as JSON (progress goes to stderr).")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (Keep is not { } keep || !(keep > 0 && keep <= 1))
                return ValidationResult.Error($"--keep must be a fraction in (0, 1], got {(Keep is null ? "nothing" : Keep.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            if (Method is not ("copriv" or "snl")) return ValidationResult.Error($"unknown --method '{Method}'; use copriv or snl");
            if (Epochs < 1) return ValidationResult.Error($"--epochs must be at least 1, got {Epochs}");
            if (Images < 8) return ValidationResult.Error($"--images must be at least 8, got {Images}");
            if (Batch < 1) return ValidationResult.Error($"--batch must be at least 1, got {Batch}");
            if (!(Lambda >= 0)) return ValidationResult.Error($"--lambda must be 0 or more, got {Lambda}");
            if (!(LearningRate > 0)) return ValidationResult.Error($"--learning-rate must be positive, got {LearningRate}");
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out FILE.onnx is required");
            var directory = Path.GetDirectoryName(Path.GetFullPath(Out));
            if (directory is null || !Directory.Exists(directory)) return ValidationResult.Error($"--out: directory '{directory}' does not exist");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var spec = settings.ResolveSpec(settings.LoadConfig(), new RunSpecSource("optimize defaults") { Protocol = "copriv" });
        var source = ModelSources.Resolve(spec.Model);
        var model = source.Create(new ZooOptions(Seed: settings.Seed, WidthMultiplier: spec.Width));
        // A model the method cannot gate (no zoo block names) is refused before anything is trained or printed.
        if (settings.Method == "copriv") _ = Models.Optimization.ActivationBlocks.Of(model);
        var data = Data(settings, source);
        // A line every few steps as well as per epoch: a full-width epoch takes minutes.
        var training = new TrainingOptions { BatchSize = settings.Batch, LearningRate = settings.LearningRate, Seed = settings.Seed, ReportEverySteps = 4 };
        var log = Console.Error;
        log.WriteLine($"copriv optimize: {source.Name} by {settings.Method}, keep {settings.Keep:0.###}; data: {data.Description}");
        var progress = new Progress(log);
        var pipeline = new OptimizationPipeline(model, spec, data, training, settings.Epochs, settings.Lambda, progress, cancellationToken);
        if (settings.Method == "copriv") log.WriteLine($"per-block cost under {spec.Protocol}: {pipeline.Blocks.Count} blocks planned");

        double keep = settings.Keep!.Value;
        var outcome = Optimize(pipeline, settings.Method, keep);
        Write(outcome.Graph, settings.Out!, source.Dataset);

        IReadOnlyList<SweepPoint>? sweep = null;
        string? chart = null;
        string accuracyKind = outcome.Distilled ? "teacher agreement" : "held-out accuracy";
        if (settings.Sweep is { IsSet: true } sweepOption)
        {
            sweep = SweepKeeps.Select(k =>
            {
                log.WriteLine($"sweep: keep {k:0.##}");
                var point = k == keep ? outcome : Optimize(pipeline, settings.Method, k);
                var cost = OptimizationPipeline.Cost(point.Graph, spec);
                return new SweepPoint(k, cost.TotalBytes, cost.OnlineBytes, ModelStatistics.Of(point.Graph).ReluCount, point.AccuracyAfter);
            }).ToArray();
            chart = sweepOption.Value ?? Path.ChangeExtension(settings.Out!, ".sweep.png");
            OptimizationReport.WriteSweepChart(model.Name, settings.Method, spec.Protocol, accuracyKind, sweep, chart);
        }

        var report = new OptimizationReport
        {
            Model = source.Name,
            Method = settings.Method,
            Protocol = spec.Protocol,
            Keep = keep,
            Out = settings.Out!,
            DataSource = data.Source == TrainingDataSource.CifarFiles ? "cifar" : "generated",
            Data = data.Description,
            AccuracyKind = accuracyKind,
            AccuracyBefore = outcome.AccuracyBefore,
            AccuracyAfter = outcome.AccuracyAfter,
            ReluCountBefore = ModelStatistics.Of(model).ReluCount,
            ReluCountAfter = ModelStatistics.Of(outcome.Graph).ReluCount,
            Epochs = settings.Epochs,
            ImagesPerSecond = Math.Round(outcome.ImagesPerSecond, 1),
            Seconds = OptimizationPipeline.Seconds(watch),
            Blocks = outcome.Blocks,
            Nodes = outcome.Nodes,
            Communication = pipeline.Compare(outcome.Graph),
            Sweep = sweep,
            SweepChart = chart,
        };
        if (settings.Json) Console.WriteLine(report.ToJson());
        else report.Render(AnsiConsole.Console);
        return 0;
    }

    private static OptimizationPipeline.Outcome Optimize(OptimizationPipeline pipeline, string method, double keep) =>
        method == "copriv" ? pipeline.Gates(keep) : pipeline.Snl(keep);

    private static TrainingData Data(Settings settings, IModelSource source)
    {
        if (settings.Data is not { Length: > 0 } files)
            return TrainingData.Generated(source.InputShape, settings.Images, Math.Max(8, settings.Images / 4), settings.Seed);
        var dataset = source.Classes switch
        {
            10 => CifarDataset.Cifar10,
            100 => CifarDataset.Cifar100,
            _ => throw new ArgumentException($"--data takes CIFAR-10 or CIFAR-100 batch files; model '{source.Name}' has {source.Classes} classes"),
        };
        try
        {
            return TrainingData.FromCifarFiles(files, dataset, seed: settings.Seed);
        }
        catch (InvalidDataException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>Writes the model next to <paramref name="path"/> first and renames it into place, so a failure leaves nothing there.</summary>
    private static void Write(Models.Graph.ModelGraph graph, string path, string? dataset)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            OnnxExporter.Save(graph, temporary, dataset);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Training progress on stderr: a line per epoch with loss and accuracy, and steps within long epochs.</summary>
    private sealed class Progress(TextWriter log) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            int width = 24, filled = value.StepsPerEpoch == 0 ? width : (int)((long)value.Step * width / value.StepsPerEpoch);
            string bar = new string('█', filled) + new string('░', width - filled);
            log.WriteLine(($"{value.Phase,-9} epoch {value.Epoch}/{value.Epochs} {bar} loss {value.Loss:F4} " +
                $"train {value.TrainAccuracy:P1}" + (value.HeldOutAccuracy is { } held ? $" held-out {held:P1}" : "") +
                $" {value.ImagesPerSecond:F1} img/s" + (value.Detail.Length > 0 ? $" · {value.Detail}" : "")));
        }
    }
}
