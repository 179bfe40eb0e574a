using System.ComponentModel;
using CoPriv.Models.Sources;
using Akka.Configuration;
using CoPriv.Inference.Planning;
using CoPriv.Protocols.Core;
using CoPriv.Sim;
using CoPriv.Sim.Configuration;
using CoPriv.Sim.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv simulate`: runs a zoo model's secure inference for each protocol and network as actor sessions over a
/// simulated (virtual time) or emulated (real delays) link, shows progress per run and per layer on stderr, prints a table
/// (or one JSON object with --json), and writes the JSON and Markdown report and PNG charts to --out.
/// </summary>
public sealed class SimulateCommand : AsyncCommand<SimulateCommand.Settings>
{
    public sealed class Settings : RunSpecSettings
    {
        [CommandOption("--network")]
        [Description("Network preset(s) from hocon/presets.conf, comma-separated: lan, wan, lan-cf2, unlimited (default: copriv.network.preset).")]
        public string? Network { get; init; }

        [CommandOption("--bandwidth")]
        [Description("Replace the preset's bandwidth, e.g. 100mbit, 3gbps, 377MB/s.")]
        public string? Bandwidth { get; init; }

        [CommandOption("--rtt")]
        [Description("Replace the preset's round-trip time, e.g. 20ms, 0.3ms.")]
        public string? Rtt { get; init; }

        [CommandOption("--jitter")]
        [Description("Mean extra delay per message, exponentially distributed (fixed seeds, in order per direction), e.g. 2ms; default the preset's (none).")]
        public string? Jitter { get; init; }

        [CommandOption("--loss")]
        [Description("Packet loss rate, as its effect on TCP throughput (the Mathis bound), e.g. 0.01% or 0.0001; default the preset's (none).")]
        public string? Loss { get; init; }

        [CommandOption("--mode")]
        [Description("simulate (virtual time, no sleeping) or emulate (real delays); default copriv.network.mode.")]
        public string? Mode { get; init; }

        [CommandOption("--seed")]
        [Description("Seed of the model's weights and the client's image.")]
        [DefaultValue(1UL)]
        public ulong Seed { get; init; } = 1;

        [CommandOption("--out")]
        [Description("Directory for report.json, report.md and the PNG charts (default ./out/<model>-<networks>-<time>).")]
        public string? Out { get; init; }

        [CommandOption("--no-charts")]
        [Description("Write no PNG charts.")]
        public bool NoCharts { get; init; }

        [CommandOption("--inspect <ADDRESS>")]
        [Description(InspectOption.Description)]
        public string? Inspect { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object (the report) instead of progress and a table.")]
        public bool Json { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = settings.LoadConfig();
        // simulate's own defaults, under the HOCON's: ResNet-32 under both protocols.
        var defaults = new RunSpecSource("simulate defaults") { Model = "resnet32" };
        string protocols = settings.Protocol ?? RunSpecConfig.Source(config).Over(RunSpecSource.FromEnvironment()).Protocol ?? SimulationOptions.BothProtocols;
        var spec = settings.ResolveSpec(config, defaults, SimulationOptions.ParseProtocols(protocols)[0]);
        var request = SimulationOptions.Build(config, spec, protocols, settings.Network, settings.Bandwidth,
            settings.Rtt, settings.Mode, settings.Seed, settings.Jitter, settings.Loss);
        // Akka's logger writes to stdout; keep it quiet so the table or the JSON is all that appears there. An inspected
        // run logs at info into the inspector's buffer only (pbm log peek), never onto the terminal.
        var inspector = InspectOption.Resolve(settings.Inspect, config);
        var logging = inspector is null
            ? $"loglevel = {(settings.Json ? "OFF" : "ERROR")}"
            : $"loglevel = INFO, loggers = [\"{CoPriv.Actors.Logging.LogBufferLogger.TypeName}\"]";
        var actorsConfig = ConfigurationFactory.ParseString(
            $"akka {{ {logging}, stdout-loglevel = OFF, log-dead-letters = off }}").WithFallback(config);

        SimulationReport report;
        await using (var simulation = Simulation.Start(actorsConfig, inspector))
        {
            InspectOption.Announce("copriv simulate", simulation.Host.InspectorEndpoint, inspector);
            if (settings.Json)
            {
                report = await simulation.RunAsync(request).ConfigureAwait(false);
            }
            else
            {
                var progressConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                report = await progressConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async progress => await simulation.RunAsync(request, new ProgressObserver(progress)).ConfigureAwait(false))
                    .ConfigureAwait(false);
            }
        }

        string outDirectory = settings.Out ?? DefaultOutDirectory(request);
        var written = ReportWriter.Write(report, outDirectory, charts: !settings.NoCharts);
        if (settings.Json)
        {
            Console.WriteLine(written.Json);
        }
        else
        {
            Render(report);
            AnsiConsole.MarkupLine($"[grey]wrote {Markup.Escape(string.Join(", ", written.Files))}[/]");
        }
        return 0;
    }

    private static string DefaultOutDirectory(SimulationRequest request) =>
        Path.Combine("out", $"{(ModelSources.IsFilePath(request.Spec.Model) ? Path.GetFileNameWithoutExtension(request.Spec.Model) : request.Spec.Model)}-{string.Join("+", request.Networks.Select(n => n.Link.Name))}-{DateTime.Now:yyyyMMdd-HHmmss}");

    private static void Render(SimulationReport report)
    {
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{report.Model}, ℓ = {report.RingBits}, s = {report.Scale}, {report.Mode}; {report.WallSeconds:F1} s of wall time"));
        var table = new Table().AddColumns("protocol", "network", "total", "online", "pre-processing", "rounds",
            "online round trips", "compute", "communication", report.Mode == "simulate" ? "simulated latency" : "emulated latency", "lower bound",
            "pre-processing s", "online s");
        foreach (var column in table.Columns.Skip(2)) column.RightAligned();
        foreach (var run in report.Protocols)
        {
            table.AddRow(run.Name, Markup.Escape(run.Network), Bytes(run.TotalBytes), Bytes(run.OnlineBytes), Bytes(run.PreprocessingBytes),
                $"{run.Rounds:N0}", $"{run.OnlineRoundTrips:N0}", Seconds(run.ComputeSeconds), Seconds(run.CommunicationSeconds), Seconds(run.SimulatedSeconds),
                Seconds(run.LowerBoundSeconds), Seconds(run.PreprocessingSeconds), Seconds(run.OnlineSeconds));
        }
        AnsiConsole.Write(table);
        foreach (var network in report.Networks) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(network.Text)}[/]");
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1 << 20 => $"{bytes / (double)(1 << 20):F1} MiB",
        _ => $"{bytes / 1024.0:F1} KiB",
    };

    private static string Seconds(double? seconds) => seconds is { } s ? $"{s:F2} s" : "-";

    /// <summary>
    /// Two bars per run (protocol × network): the run's, advanced as each party finishes each layer step, and the
    /// current layer's, filled by the bytes that crossed the link against the cost model's prediction for the layer.
    /// </summary>
    private sealed class ProgressObserver(ProgressContext progress) : ISimulationObserver
    {
        private readonly Dictionary<string, (ProgressTask Run, ProgressTask Layer)> _tasks = new();

        public void SessionStarting(string protocol, string network, IReadOnlyList<string> steps, TimeSpan? realTimeFloor)
        {
            string emulating = realTimeFloor is { TotalSeconds: >= 1 } floor ? $" (emulated: at least {floor.TotalSeconds:F0} s of real time)" : "";
            lock (_tasks)
            {
                var run = progress.AddTask(Markup.Escape($"{protocol} {network}{emulating}"), maxValue: 2 * steps.Count);
                var layer = progress.AddTask("[grey]  waiting for the setup[/]", maxValue: 1);
                _tasks[Key(protocol, network)] = (run, layer);
            }
        }

        public void StepFinished(string protocol, string network, PartyRole role, int position, string layerName) =>
            Tasks(protocol, network).Run.Increment(1);

        public void StepProgressed(string protocol, string network, StepProgress step)
        {
            var layer = Tasks(protocol, network).Layer;
            layer.Description = Markup.Escape(
                $"  {step.Position}/{step.StepCount} {step.LayerName} {Bytes(step.Bytes)} of {Bytes(step.PredictedBytes)}");
            layer.Value = step.Fraction;
        }

        public void SessionFinished(ProtocolRunReport report)
        {
            var (run, layer) = Tasks(report.Name, report.Network);
            run.StopTask();
            layer.Description = Markup.Escape($"  {report.Inference.Layers.Count} layers, {Bytes(report.TotalBytes)}");
            layer.Value = 1;
            layer.StopTask();
        }

        private (ProgressTask Run, ProgressTask Layer) Tasks(string protocol, string network)
        {
            lock (_tasks) return _tasks[Key(protocol, network)];
        }

        private static string Key(string protocol, string network) => $"{protocol}/{network}";
    }
}
