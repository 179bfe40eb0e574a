using System.Diagnostics.Metrics;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Metrics;

/// <summary>
/// The actor runtime's instruments, on the <see cref="Meter"/> named <c>CoPriv.Actors</c> (listen with a
/// <see cref="MeterListener"/>, dotnet-counters or an OpenTelemetry exporter). Every instrument carries the tag
/// <c>role</c> (server or client); bytes also <c>direction</c> (sent or received), ended sessions <c>outcome</c>.
/// Written by the parties' actors as sessions start and end and as layer steps finish; they hold no protocol data.
/// </summary>
public static class SessionMetrics
{
    public const string MeterName = "CoPriv.Actors";

    private static readonly Meter Meter = new(MeterName);
    private static long _runningServer, _runningClient;

    private static readonly Counter<long> Started =
        Meter.CreateCounter<long>("copriv.sessions.started", "{session}", "Sessions a party started.");
    private static readonly Counter<long> Completed =
        Meter.CreateCounter<long>("copriv.sessions.completed", "{session}", "Sessions that completed at both parties.");
    private static readonly Counter<long> Failed =
        Meter.CreateCounter<long>("copriv.sessions.failed", "{session}", "Sessions that failed (at either party) or were killed.");
    private static readonly Counter<long> Bytes =
        Meter.CreateCounter<long>("copriv.session.bytes", "By", "Protocol bytes of finished layer steps.");
    private static readonly Histogram<double> SessionDuration =
        Meter.CreateHistogram<double>("copriv.session.duration", "s", "Wall time of ended sessions.");
    private static readonly Histogram<double> LayerDuration =
        Meter.CreateHistogram<double>("copriv.layer.duration", "s", "Wall time of finished layer steps.");

    static SessionMetrics()
    {
        Meter.CreateObservableGauge("copriv.sessions.running", () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _runningServer), Role(PartyRole.Server)),
            new Measurement<long>(Interlocked.Read(ref _runningClient), Role(PartyRole.Client)),
        }, "{session}", "Sessions running now.");
    }

    public static void SessionStarted(PartyRole role)
    {
        Interlocked.Increment(ref Running(role));
        Started.Add(1, Role(role));
    }

    public static void SessionEnded(PartyRole role, bool completed, TimeSpan elapsed)
    {
        Interlocked.Decrement(ref Running(role));
        (completed ? Completed : Failed).Add(1, Role(role));
        SessionDuration.Record(elapsed.TotalSeconds, Role(role), new("outcome", completed ? "completed" : "failed"));
    }

    public static void LayerFinished(PartyRole role, long bytesSent, long bytesReceived, TimeSpan elapsed)
    {
        Bytes.Add(bytesSent, Role(role), new("direction", "sent"));
        Bytes.Add(bytesReceived, Role(role), new("direction", "received"));
        LayerDuration.Record(elapsed.TotalSeconds, Role(role));
    }

    private static ref long Running(PartyRole role) => ref role == PartyRole.Server ? ref _runningServer : ref _runningClient;

    private static KeyValuePair<string, object?> Role(PartyRole role) => new("role", role == PartyRole.Server ? "server" : "client");
}
