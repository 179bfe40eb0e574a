using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using CoPriv.Actors.Logging;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// The <c>log</c> palette over the node's <see cref="LogBuffer"/>: the last lines, a follow, and Akka's log level.
/// </summary>
internal sealed class LogPalette(ActorSystem system)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    public IEnumerable<InspectorCommand> Commands =>
    [
        new("log", "peek", "[-n lines] [--level level]", "the node's last log lines (default 50), at the level or above", 0, 0, Peek)
        {
            ValueOptions = ["-n", "--level"],
        },
        new("log", "tail", "[--level level]", "the node's log lines as they are written, until Ctrl-C", 0, 0, Tail)
        {
            ValueOptions = ["--level"], Streams = true,
        },
        new("log", "level", "<debug|info|warning|error>", "set what the node logs (new loggers: actors started from now on, and stderr)", 1, 1, Level)
        {
            ChangesState = true,
        },
    ];

    private LogBuffer Buffer => LogBuffer.For(system);

    private async Task Peek(InspectorCall call)
    {
        var lines = Buffer.Last(call.IntOption("-n", 50, 1, Buffer.Capacity), MinimumLevel(call));
        await call.AnswerAsync(lines, () => lines.Count == 0 ? "(no log lines kept yet)" : string.Join("\n", lines)).ConfigureAwait(false);
    }

    private async Task Tail(InspectorCall call)
    {
        var minimum = MinimumLevel(call);
        var lines = System.Threading.Channels.Channel.CreateBounded<LogLine>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        using var following = Buffer.Follow(line =>
        {
            if (line.Level >= minimum) lines.Writer.TryWrite(line);
        });
        while (!call.Cancellation.IsCancellationRequested)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation);
            quiet.CancelAfter(Heartbeat);
            try
            {
                var line = await lines.Reader.ReadAsync(quiet.Token).ConfigureAwait(false);
                await (call.Json ? call.WriteJsonAsync(line) : call.WriteAsync(line.ToString())).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!call.Cancellation.IsCancellationRequested)
            {
                await call.HeartbeatAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task Level(InspectorCall call)
    {
        var level = Parse(call.Arguments[0]);
        system.EventStream.SetLogLevel(level);
        await call.AnswerAsync(new { Level = LogLine.LevelName(level) },
            () => $"log level set to {LogLine.LevelName(level)}").ConfigureAwait(false);
    }

    private static LogLevel MinimumLevel(InspectorCall call) =>
        call.Option("--level") is { } name ? Parse(name) : LogLevel.DebugLevel;

    private static LogLevel Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "debug" => LogLevel.DebugLevel,
        "info" => LogLevel.InfoLevel,
        "warning" or "warn" => LogLevel.WarningLevel,
        "error" => LogLevel.ErrorLevel,
        _ => throw new InspectorCommandException(InspectorStatus.Usage, $"unknown log level '{name}'; known levels: debug, info, warning, error"),
    };
}
