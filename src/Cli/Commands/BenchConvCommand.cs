using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
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

        [CommandOption("--ell")]
        [Description("Ring bits ℓ.")]
        [DefaultValue(41)]
        public int Ell { get; init; } = 41;

        [CommandOption("--scale")]
        [Description("Fixed-point scale s.")]
        [DefaultValue(11)]
        public int Scale { get; init; } = 11;

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
            if (Protocol is not ("cryptflow2" or "winograd2" or "winograd4" or "polyphase"))
                return ValidationResult.Error($"--protocol must be cryptflow2, winograd2, winograd4 or polyphase, got '{Protocol}'");
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
        var format = new FixedPoint(settings.Ell, settings.Scale);
        if (settings.ResNet32)
        {
            var report = ConvBench.CompareResNet32(format, settings.ExtraBits, settings.Seed);
            if (settings.Json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            else ConvBench.Render(report);
            return 0;
        }
        var shape = new ConvShape(settings.InputChannels, settings.OutputChannels, settings.Size, settings.Size,
            settings.Kernel, settings.Kernel, settings.Stride, settings.Padding);
        var policy = settings.Orientation switch
        {
            "client" => OrientationPolicy.ClientReceives,
            "server" => OrientationPolicy.ServerReceives,
            "cheaper" => OrientationPolicy.Cheaper,
            _ => settings.Protocol == "cryptflow2" ? OrientationPolicy.ClientReceives : OrientationPolicy.Cheaper,
        };
        var options = new LinearLayerOptions(format, policy, "bench-conv");
        for (int i = 0; i < settings.Warmup; i++) ConvBench.RunLayer(shape, settings.Protocol, options, settings.ExtraBits, settings.Seed + 1 + (ulong)i);
        var runs = Enumerable.Range(0, settings.Repeat)
            .Select(_ => ConvBench.RunLayer(shape, settings.Protocol, options, settings.ExtraBits, settings.Seed)).ToList();
        var times = runs.Select(r => r.Seconds).Order().ToList();
        var result = runs.MinBy(r => r.Seconds)! with
        {
            SecondsMedian = times[times.Count / 2],
            MatchesReference = runs.All(r => r.MatchesReference),
        };
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
            table.AddRow("seconds (pre-processing + online)", $"{result.Seconds:F3} (fastest of {runs.Count}; median {result.SecondsMedian:F3})");
            table.AddRow("CPU seconds server / client", $"{result.ServerCpuSeconds:F3} / {result.ClientCpuSeconds:F3}");
            table.AddRow("matches reference", result.MatchesReference ? "yes" : "[red]NO[/]");
            AnsiConsole.Write(table);
        }
        return result.MatchesReference && result.TotalBytes == result.PredictedBytes ? 0 : 1;
    }
}

/// <summary>The measurements behind `copriv bench conv`.</summary>
internal static class ConvBench
{
    public sealed record LayerResult(string Protocol, string Shape, string Orientation, long TotalBytes, long PreprocessingBytes,
        long OnlineBytes, long PredictedBytes, long Rounds, double Seconds, double PreprocessingSeconds, double OnlineSeconds,
        double? ServerCpuSeconds, double? ClientCpuSeconds, bool MatchesReference, int PendingShift)
    {
        public double SecondsMedian { get; init; } = Seconds;
    }

    public static LayerResult RunLayer(ConvShape shape, string protocol, LinearLayerOptions options, int? extraBits, ulong seed)
    {
        var ring = options.Ring;
        var weights = RandomSigned(shape.WeightLength, 1L << options.Scale, seed, 1);
        var x = new ulong[shape.InputLength];
        var raw = RandomSigned(shape.InputLength, 1L << options.Scale, seed, 2);
        for (int i = 0; i < x.Length; i++) x[i] = ring.FromSigned(raw[i]);
        var serverShare = new ulong[x.Length];
        AesPrg.FromTestSeed(seed, 3).Fill(serverShare, ring);
        var clientShare = new ulong[x.Length];
        ring.Sub(x, serverShare, clientShare);

        LinearLayerProtocol server, client;
        ulong[] expected;
        WinogradTile? tile = protocol switch { "winograd2" => WinogradTile.F2x2, "winograd4" => WinogradTile.F4x4, _ => null };
        if (tile is { } t)
        {
            var s = WinogradConvolutionProtocol.ForServer(shape, t, weights, [], options, extraBits);
            server = s;
            client = WinogradConvolutionProtocol.ForClient(shape, t, options, extraBits);
            expected = ConvolutionReference.Winograd(ring, shape, s.Transform, weights, x);
        }
        else if (protocol == "polyphase")
        {
            server = PolyphaseConvolutionProtocol.ForServer(shape, weights, [], options);
            client = PolyphaseConvolutionProtocol.ForClient(shape, options);
            expected = ConvolutionReference.Direct(ring, shape, RingMatrix.FromSigned(ring, weights), x);
        }
        else
        {
            server = ConvolutionProtocol.ForServer(shape, weights, [], options);
            client = ConvolutionProtocol.ForClient(shape, options);
            expected = ConvolutionReference.Direct(ring, shape, RingMatrix.FromSigned(ring, weights), x);
        }

        // Both parties finish the base OTs, meet at the barrier, and only then does the clock start.
        using var ready = new Barrier(2);
        var times = new double[2, 2];
        var cpu = new double?[2];
        var run = TwoPartyRunner.Run(
            ch => Party(ch, server, serverShare, ready, seed, times, cpu, 0),
            ch => Party(ch, client, clientShare, ready, seed, times, cpu, 1));
        var sum = new ulong[expected.Length];
        ring.Add(run.Server.Share, run.Client.Share, sum);
        var measured = CommunicationCost.Measured(run.ServerMeter, run.ClientMeter);
        double pre = Math.Max(times[0, 0], times[1, 0]), online = Math.Max(times[0, 1], times[1, 1]);
        var orientation = server switch
        {
            WinogradConvolutionProtocol w => w.Orientation,
            PolyphaseConvolutionProtocol p => p.Orientation,
            _ => ((ConvolutionProtocol)server).Orientation,
        };
        return new LayerResult(protocol, shape.ToString(), orientation.ToString(), measured.TotalBytes, measured.PreprocessingBytes,
            measured.OnlineBytes, server.Cost.TotalBytes, measured.Rounds, pre + online, pre, online, cpu[0], cpu[1],
            sum.AsSpan().SequenceEqual(expected), server.PendingShift);
    }

    private static LinearLayerOutput Party(IChannel ch, LinearLayerProtocol layer, ulong[] input, Barrier ready, ulong seed,
        double[,] times, double?[] cpu, int who)
    {
        var ctx = PartyContext.Create(ch, AesPrg.FromTestSeed(seed, 10 + (ulong)who));
        ready.SignalAndWait();
        var cpuStart = ThreadCpuClock.Seconds();
        var sw = Stopwatch.StartNew();
        layer.Preprocess(ctx);
        times[who, 0] = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var output = layer.Online(ctx, input);
        times[who, 1] = sw.Elapsed.TotalSeconds;
        cpu[who] = ThreadCpuClock.Seconds() - cpuStart;
        return output;
    }

    /// <summary>
    /// CPU time of the calling thread (Linux): what a party computed, unaffected by other processes sharing the
    /// cores, which the wall-clock seconds are not.
    /// </summary>
    private static class ThreadCpuClock
    {
        private const int ClockThreadCpuTimeId = 3;

        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        public static double? Seconds()
        {
            if (!OperatingSystem.IsLinux()) return null;
            try
            {
                return ClockGetTime(ClockThreadCpuTimeId, out var t) == 0 ? t.Seconds + t.Nanoseconds * 1e-9 : null;
            }
            catch (DllNotFoundException)
            {
                return null;
            }
        }
    }

    public sealed record ResNetLayerCost(string Shape, int Tiles, long Im2colBytes, long WinogradF2ClientBytes,
        long WinogradF2CheaperBytes, string F2CheaperOrientation, double F2Ratio, double F2CheaperRatio, double F2DnnAwareGain,
        long WinogradF4CheaperBytes, string F4CheaperOrientation, double F4Ratio, double F4CubicRatio,
        AccuracyReport F4Accuracy);

    public sealed record AccuracyReport(int ExtraScaleBits, long MaxAbsErrorUlps, double MeanAbsErrorUlps,
        double MaxAbsError, double MeanAbsError, long F2MaxAbsErrorUlps, long Outputs);

    public sealed record ResNet32Report(int Ell, int Scale, IReadOnlyList<ResNetLayerCost> Layers);

    /// <summary>ResNet-32's three 3×3 stride-1 layer shapes: 16ch 32×32, 32ch 16×16, 64ch 8×8, padding 1.</summary>
    public static ResNet32Report CompareResNet32(FixedPoint format, int? extraBits, ulong seed)
    {
        var layers = new List<ResNetLayerCost>();
        foreach (var (ch, size) in new[] { (16, 32), (32, 16), (64, 8) })
        {
            var shape = new ConvShape(ch, ch, size, size, padding: 1);
            var client = new LinearLayerOptions(format, OrientationPolicy.ClientReceives);
            var cheaper = new LinearLayerOptions(format, OrientationPolicy.Cheaper);
            long im2col = ConvolutionProtocol.CostOf(shape, client).PreprocessingBytes;
            long f2Client = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F2x2, client).PreprocessingBytes;
            long f2Cheaper = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F2x2, cheaper).PreprocessingBytes;
            long f4Cheaper = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F4x4, cheaper).PreprocessingBytes;
            long f4Client = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F4x4, client).PreprocessingBytes;
            var f2 = WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F2x2, cheaper);
            var f4 = WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F4x4, cheaper, extraBits);
            layers.Add(new ResNetLayerCost(shape.ToString(), f2.Tiles, im2col, f2Client, f2Cheaper, f2.Orientation.ToString(),
                (double)im2col / f2Client, (double)im2col / f2Cheaper, (double)f2Client / f2Cheaper, f4Cheaper, f4.Orientation.ToString(),
                (double)im2col / f4Cheaper, (double)im2col / f4Client,
                Accuracy(shape, format, f4.Transform, seed)));
        }
        return new ResNet32Report(format.Ring.Bits, format.Scale, layers);
    }

    /// <summary>
    /// F(4,3)'s error against the direct convolution after truncation, on weights uniform in ±0.25 and inputs in ±1
    /// (and F(2,3)'s, which must be 0), in units of the last place 2^−s.
    /// </summary>
    private static AccuracyReport Accuracy(ConvShape shape, FixedPoint format, WinogradTransform f4, ulong seed)
    {
        var ring = format.Ring;
        var weights = RandomSigned(shape.WeightLength, 1L << (format.Scale - 2), seed, 21);
        var raw = RandomSigned(shape.InputLength, 1L << format.Scale, seed, 22);
        var x = new ulong[raw.Length];
        for (int i = 0; i < x.Length; i++) x[i] = ring.FromSigned(raw[i]);
        var direct = ConvolutionReference.Truncate(ring,
            ConvolutionReference.Direct(ring, shape, RingMatrix.FromSigned(ring, weights), x), format.Scale);
        var w4 = ConvolutionReference.Truncate(ring, ConvolutionReference.Winograd(ring, shape, f4, weights, x),
            format.Scale + f4.ExtraScaleBits);
        var f2 = WinogradTransform.For(WinogradTile.F2x2);
        var w2 = ConvolutionReference.Truncate(ring, ConvolutionReference.Winograd(ring, shape, f2, weights, x),
            format.Scale + f2.ExtraScaleBits);
        long max = 0, max2 = 0, total = 0;
        for (int i = 0; i < direct.Length; i++)
        {
            long d = Math.Abs(ring.ToSigned(w4[i]) - ring.ToSigned(direct[i]));
            max = Math.Max(max, d);
            total += d;
            max2 = Math.Max(max2, Math.Abs(ring.ToSigned(w2[i]) - ring.ToSigned(direct[i])));
        }
        double mean = (double)total / direct.Length;
        return new AccuracyReport(f4.ExtraScaleBits, max, mean, max / format.Unit, mean / format.Unit, max2, direct.Length);
    }

    public static void Render(ResNet32Report report)
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

    private static long[] RandomSigned(int count, long bound, ulong seed, ulong stream)
    {
        var prg = AesPrg.FromTestSeed(seed, 100 + stream);
        var values = new long[count];
        ulong span = (ulong)(2 * bound + 1);
        for (int i = 0; i < count; i++) values[i] = (long)(prg.NextUInt64() % span) - bound;
        return values;
    }
}
