using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CoPriv.Bench;
using CoPriv.Network.Benchmarks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv bench transport`: how fast the data plane moves protocol bytes between two processes on this machine —
/// `tcp` (plaintext) and `tcp-tls` (TLS 1.3 with the pinned certificate): this process receives, a second `copriv`
/// process it starts sends (`--peer …`, the invitation's arguments) — and `akka` (64 KiB chunks under flow control
/// over Akka.Remote, between two actor systems of this process), all with the same message size.
/// </summary>
public sealed class BenchTransportCommand : AsyncCommand<BenchTransportCommand.Settings>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--transport <NAMES>")]
        [Description("Comma-separated: tcp, tcp-tls, akka (default all three).")]
        public string? Transport { get; init; }

        [CommandOption("--message-bytes <N>")]
        [Description("Bytes per message (default 4 MiB).")]
        public int? MessageBytes { get; init; }

        [CommandOption("--total-bytes <N>")]
        [Description("Bytes per measurement (default 8 GiB for tcp and tcp-tls, 512 MiB for akka).")]
        public long? TotalBytes { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table.")]
        public bool Json { get; init; }

        [CommandOption("--peer <HOST:PORT>")]
        [Description("(internal) Run as the sending process of a measurement, with the receiver's invitation.")]
        public string? Peer { get; init; }

        [CommandOption("--token <HEX>")]
        [Description("(internal) The measurement's session token.")]
        public string? Token { get; init; }

        [CommandOption("--fingerprint <SHA256>")]
        [Description("(internal) The receiver's certificate fingerprint.")]
        public string? Fingerprint { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Peer is not null) return await SendAsync(settings).ConfigureAwait(false);
        int messageBytes = settings.MessageBytes ?? TransportBenchmark.DefaultMessageBytes;
        var transports = (settings.Transport ?? $"{TransportBenchmark.Tcp},{TransportBenchmark.TcpTls},{AkkaTransportMeasurement.Transport}")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var known = new[] { TransportBenchmark.Tcp, TransportBenchmark.TcpTls, AkkaTransportMeasurement.Transport };
        if (transports.FirstOrDefault(t => !known.Contains(t)) is { } unknown)
            throw new ArgumentException($"unknown transport '{unknown}'; known transports: {string.Join(", ", known)}");
        // The akka measurement runs two actor systems, whose Akka.Remote writes some warnings straight to the console
        // (under load a "[WARNING]…" line came before the JSON): with --json only the report goes to stdout.
        var stdout = settings.Json ? ReportStdout.Claim() : Console.Out;
        var results = new List<TransportBenchmarkResult>();
        foreach (var transport in transports)
        {
            results.Add(transport == AkkaTransportMeasurement.Transport
                ? await AkkaTransportMeasurement.MeasureAsync(messageBytes, settings.TotalBytes ?? 512L << 20, Timeout).ConfigureAwait(false)
                : await TwoProcessesAsync(transport, messageBytes,
                    settings.TotalBytes ?? TransportBenchmark.DefaultTotalBytes).ConfigureAwait(false));
        }
        if (settings.Json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new
            {
                messageBytes,
                transports = results.Select(r => new
                {
                    transport = r.Transport,
                    bytesPerSecond = Math.Round(r.BytesPerSecond),
                    bytes = r.Bytes,
                    seconds = r.Elapsed.TotalSeconds,
                    processes = r.Transport == AkkaTransportMeasurement.Transport ? 1 : 2,
                }),
            }, new JsonSerializerOptions { WriteIndented = true }));
            stdout.Flush();
            return 0;
        }
        var table = new Table().AddColumns("transport", "processes", "bytes", "seconds", "GB/s");
        foreach (var r in results)
            table.AddRow(r.Transport, r.Transport == AkkaTransportMeasurement.Transport ? "1 (two actor systems)" : "2",
                r.Bytes.ToString("N0", CultureInfo.InvariantCulture), r.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
                (r.BytesPerSecond / 1e9).ToString("0.00", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        return 0;
    }

    private static async Task<TransportBenchmarkResult> TwoProcessesAsync(string transport, int messageBytes, long totalBytes)
    {
        using var receiver = TransportBenchmark.StartReceiver(transport, messageBytes, totalBytes);
        using var sender = StartSelf(["bench", "transport", .. receiver.Invitation.ToArguments()]);
        var finished = await Task.WhenAny(receiver.Completion, Task.Delay(Timeout)).ConfigureAwait(false);
        if (finished != receiver.Completion)
        {
            sender.Kill(entireProcessTree: true);
            throw new TimeoutException($"the {transport} measurement did not finish within {Timeout.TotalMinutes:0} minutes");
        }
        await sender.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return await receiver.Completion.ConfigureAwait(false);
    }

    /// <summary>The sending process: connects to the receiver named on the command line and sends.</summary>
    private static async Task<int> SendAsync(Settings settings)
    {
        var arguments = new List<string> { "--peer", settings.Peer!, "--transport", settings.Transport ?? "", "--token", settings.Token ?? "",
            "--message-bytes", (settings.MessageBytes ?? 0).ToString(CultureInfo.InvariantCulture),
            "--total-bytes", (settings.TotalBytes ?? 0).ToString(CultureInfo.InvariantCulture) };
        if (settings.Fingerprint is not null) arguments.AddRange(["--fingerprint", settings.Fingerprint]);
        await TransportBenchmark.RunSenderAsync(TransportBenchmarkInvitation.Parse(arguments)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Starts this same `copriv` (apphost, or `dotnet copriv.dll`) with <paramref name="arguments"/>.</summary>
    private static Process StartSelf(IReadOnlyList<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable runs copriv");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {host}");
    }
}
