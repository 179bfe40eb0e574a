using System.Globalization;
using Akka.Actor;
using Akka.Event;

namespace CoPriv.Actors.Logging;

/// <summary>One line of a node's log as the inspector keeps it.</summary>
public sealed record LogLine(DateTimeOffset Time, LogLevel Level, string Source, string Message)
{
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.DebugLevel => "debug",
        LogLevel.InfoLevel => "info",
        LogLevel.WarningLevel => "warning",
        _ => "error",
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Time.ToLocalTime():HH:mm:ss.fff} {LevelName(Level),-7} {Message}  ({Source})");
}

/// <summary>
/// The last lines a node logged (<c>copriv.inspector.log-lines</c>, default 1000), per ActorSystem, for
/// <c>pbm log peek</c> and <c>log tail</c>. Filled by the node's Akka logger (<see cref="NodeLogger"/> or
/// <see cref="LogBufferLogger"/>); what reaches it is what Akka's log level lets through.
/// </summary>
public sealed class LogBuffer : IExtension
{
    private readonly object _gate = new();
    private readonly LogLine[] _ring;
    private readonly List<Action<LogLine>> _followers = [];
    private long _written;

    public LogBuffer(int capacity) => _ring = new LogLine[Math.Max(1, capacity)];

    public static LogBuffer For(ActorSystem system) => system.WithExtension<LogBuffer, LogBufferProvider>();

    public int Capacity => _ring.Length;

    public void Add(LogEvent e) => Add(new LogLine(e.Timestamp, e.LogLevel(), e.LogSource,
        e.Cause is null ? e.Message?.ToString() ?? "" : $"{e.Message} ({e.Cause.GetType().Name}: {e.Cause.Message})"));

    public void Add(LogLine line)
    {
        Action<LogLine>[] followers;
        lock (_gate)
        {
            _ring[_written++ % _ring.Length] = line;
            followers = _followers.ToArray();
        }
        foreach (var follow in followers) follow(line);
    }

    /// <summary>The last <paramref name="count"/> lines at <paramref name="minimum"/> or above, oldest first.</summary>
    public IReadOnlyList<LogLine> Last(int count, LogLevel minimum = LogLevel.DebugLevel)
    {
        lock (_gate)
        {
            long available = Math.Min(_written, _ring.Length);
            var lines = new List<LogLine>();
            for (long k = _written - 1; k >= _written - available && lines.Count < count; k--)
            {
                var line = _ring[k % _ring.Length];
                if (line.Level >= minimum) lines.Add(line);
            }
            lines.Reverse();
            return lines;
        }
    }

    /// <summary>Calls <paramref name="follower"/> with every line from now on (on the logging thread) until disposed.</summary>
    public IDisposable Follow(Action<LogLine> follower)
    {
        lock (_gate) _followers.Add(follower);
        return new Unfollow(this, follower);
    }

    private sealed class Unfollow(LogBuffer buffer, Action<LogLine> follower) : IDisposable
    {
        public void Dispose()
        {
            lock (buffer._gate) buffer._followers.Remove(follower);
        }
    }
}

/// <summary>Creates a system's <see cref="LogBuffer"/> with the capacity <c>copriv.inspector.log-lines</c>.</summary>
public sealed class LogBufferProvider : ExtensionIdProvider<LogBuffer>
{
    public override LogBuffer CreateExtension(ExtendedActorSystem system) =>
        new(system.Settings.Config.GetInt("copriv.inspector.log-lines", 1000));
}
