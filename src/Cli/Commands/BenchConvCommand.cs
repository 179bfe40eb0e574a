using System.ComponentModel;
using CoPriv.Models.Lowering;
using System.Text.Json;
using CoPriv.Bench;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv bench conv`: runs one secure convolution layer (server and client on their own thread, in-memory
/// channel; im2col, Winograd, or the polyphase stride-2 protocol), checks it against the cleartext reference and
/// reports bytes per phase and seconds; or, with --resnet32, the cost model's comparison of im2col and Winograd on ResNet-32's 3×3 stride-1 layer shapes.
/// </summary>
public sealed class BenchConvCommand : Command<BenchConvCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--cin")]
        [Description("Input channels C.")]
        [DefaultValue(16)]
        public int InputChannels { get; init; } = 16;

        [CommandOption("--cout")]
        [Description("Output channels K.")]
        [DefaultValue(16)]
        public int OutputChannels { get; init; } = 16;

        [CommandOption("--size")]
        [Description("Input height and width.")]
        [DefaultValue(32)]
        public int Size { get; init; } = 32;

        [CommandOption("--kernel")]
        [Description("Kernel size (Winograd needs 3).")]
        [DefaultValue(3)]
        public int Kernel { get; init; } = 3;

        [CommandOption("--stride")]
        [Description("Stride (polyphase needs 2, Winograd 1).")]
        [DefaultValue(1)]
        public int Stride { get; init; } = 1;

        [CommandOption("--padding")]
        [DefaultValue(1)]
        public int Padding { get; init; } = 1;

        [CommandOption("--ell|--ring-bits")]
        [Description("Ring bits ℓ.")]
        [DefaultValue(FixedPointPolicy.DefaultRingBits)]
        public int Ell { get; init; } = FixedPointPolicy.DefaultRingBits;

        [CommandOption("--scale")]
        [Description("Fixed-point scale s.")]
        [DefaultValue(FixedPointPolicy.DefaultScale)]
        public int Scale { get; init; } = FixedPointPolicy.DefaultScale;

        [CommandOption("--protocol")]
        [Description("cryptflow2 (im2col), winograd2 (F(2×2,3×3)), winograd4 (F(4×4,3×3)) or polyphase (3×3 stride 2: four sub-convolutions on F(2,2)).")]
        [DefaultValue("cryptflow2")]
        public string Protocol { get; init; } = "cryptflow2";

        [CommandOption("--orientation")]
        [Description("client, server or cheaper (default: client for cryptflow2, cheaper for Winograd and polyphase).")]
        public string? Orientation { get; init; }

        [CommandOption("--extra-bits")]
        [Description("F(4×4,3×3) only: extra scale bits e of the transformed weights.")]
        public int? ExtraBits { get; init; }

        [CommandOption("--seed")]
        [Description("Seed of the random weights, input and party randomness.")]
        [DefaultValue(1UL)]
        public ulong Seed { get; init; } = 1;

        [CommandOption("--warmup")]
        [Description("Untimed runs of the same layer first, so the JIT has optimized the hot loops.")]
        [DefaultValue(1)]
        public int Warmup { get; init; } = 1;

        [CommandOption("--repeat")]
        [Description("Timed runs; seconds is the fastest (the run least disturbed by other processes), secondsMedian the median.")]
        [DefaultValue(1)]
        public int Repeat { get; init; } = 1;

        [CommandOption("--resnet32")]
        [Description("Report the cost model on ResNet-32's 3×3 stride-1 layers instead of running a layer.")]
        public bool ResNet32 { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            var protocols = ConvolutionLayerMeasurement.Protocols;
            if (!protocols.Contains(Protocol))
                return ValidationResult.Error($"--protocol must be {string.Join(", ", protocols.SkipLast(1))} or {protocols[^1]}, got '{Protocol}'");
            if (Protocol == "polyphase" && (Kernel != 3 || Stride != 2))
                return ValidationResult.Error($"--protocol polyphase needs --kernel 3 --stride 2, got kernel {Kernel}, stride {Stride}");
            if (Repeat < 1 || Warmup < 0)
                return ValidationResult.Error("--repeat must be at least 1 and --warmup at least 0");
            if (Orientation is not (null or "client" or "server" or "cheaper"))
                return ValidationResult.Error($"--orientation must be client, server or cheaper, got '{Orientation}'");
            return ValidationResult.Success();
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        FixedPointPolicy.CheckFormat(settings.Ell, settings.Scale);
        var format = new FixedPoint(settings.Ell, settings.Scale);
        if (settings.ResNet32)
        {
            var report = ResNet32WinogradComparison.Compare(format, settings.ExtraBits, settings.Seed);
            if (settings.Json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            else Render(report);
            return 0;
        }
        var shape = new ConvShape(settings.InputChannels, settings.OutputChannels, settings.Size, settings.Size,
            settings.Kernel, settings.Kernel, settings.Stride, settings.Padding);
        var policy = settings.Orientation switch
        {
            "client" => OrientationPolicy.ClientReceives,
            "server" => OrientationPolicy.ServerReceives,
            "cheaper" => OrientationPolicy.Cheaper,
            _ => ConvolutionLayerMeasurement.DefaultOrientation(settings.Protocol),
        };
        var options = new LinearLayerOptions(format, policy, "bench-conv");
        var result = ConvolutionLayerMeasurement.Measure(shape, settings.Protocol, options, settings.ExtraBits, settings.Seed,
            settings.Warmup, settings.Repeat);
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
        }
        else
        {
            var table = new Table().AddColumns("quantity", "value");
            table.AddRow("layer", Markup.Escape($"{shape} ({settings.Protocol}, {result.Orientation})"));
            table.AddRow("pre-processing bytes", $"{result.PreprocessingBytes:N0}");
            table.AddRow("online bytes", $"{result.OnlineBytes:N0}");
            table.AddRow("total bytes", $"{result.TotalBytes:N0} ({result.TotalBytes / 1e6:F2} MB)");
            table.AddRow("cost model bytes", $"{result.PredictedBytes:N0}");
            table.AddRow("rounds", $"{result.Rounds}");
            table.AddRow("seconds (pre-processing + online)", $"{result.Seconds:F3} (fastest of {settings.Repeat}; median {result.SecondsMedian:F3})");
            table.AddRow("CPU seconds server / client", $"{result.ServerCpuSeconds:F3} / {result.ClientCpuSeconds:F3}");
            table.AddRow("matches reference", result.MatchesReference ? "yes" : "[red]NO[/]");
            AnsiConsole.Write(table);
        }
        return result.MatchesReference && result.TotalBytes == result.PredictedBytes ? 0 : 1;
    }

    private static void Render(ResNet32Report report)
    {
        var table = new Table().AddColumn("pre-processing bytes");
        foreach (var l in report.Layers) table.AddColumn(new TableColumn(Markup.Escape(l.Shape.Replace(" k3×3 s1 p1", ""))).RightAligned());
        void Row(string name, Func<ResNetLayerCost, string> cell) =>
            table.AddRow(new[] { Markup.Escape(name) }.Concat(report.Layers.Select(l => Markup.Escape(cell(l)))).ToArray());
        Row("tiles T (F(2,3))", l => $"{l.Tiles}");
        Row("im2col (CrypTFlow2)", l => $"{l.Im2colBytes / 1e6:F2} MB");
        Row("F(2,3), client receives", l => $"{l.WinogradF2ClientBytes / 1e6:F2} MB  {l.F2Ratio:F3}×");
        Row("F(2,3), DNN-aware", l => $"{l.WinogradF2CheaperBytes / 1e6:F2} MB  {l.F2CheaperRatio:F3}×");
        Row("  orientation", l => l.F2CheaperOrientation);
        Row("  gain over client receiver", l => $"{l.F2DnnAwareGain:F3}×");
        Row("F(4,3), DNN-aware", l => $"{l.WinogradF4CheaperBytes / 1e6:F2} MB  {l.F4Ratio:F3}×");
        Row("  orientation", l => l.F4CheaperOrientation);
        Row("F(4,3) cubic term", l => $"{l.F4CubicRatio:F3}×");
        Row("F(4,3) error max / mean", l => $"{l.F4Accuracy.MaxAbsErrorUlps} / {l.F4Accuracy.MeanAbsErrorUlps:F3} ulp");
        Row("F(2,3) error max", l => $"{l.F4Accuracy.F2MaxAbsErrorUlps} ulp");
        AnsiConsole.Write(new Markup(Markup.Escape(
            $"ResNet-32 3×3 stride-1 convolutions, ℓ = {report.Ell}, s = {report.Scale}; ratios against im2col; " +
            $"F(4,3) with e = {report.Layers[0].F4Accuracy.ExtraScaleBits} extra bits, error vs direct conv after truncation " +
            $"(1 ulp = 2^-{report.Scale}; weights in ±0.25, inputs in ±1)") + "\n"));
        AnsiConsole.Write(table);
    }
}
