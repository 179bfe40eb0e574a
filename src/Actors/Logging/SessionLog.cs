using Akka.Event;

namespace CoPriv.Actors.Logging;

/// <summary>
/// A session actor's log: Akka's logging with the prefix <c>[session &lt;id&gt; layer-NN-name]</c> on every line, so
/// that a node's log (stderr, <c>pbm log peek</c>) says which session and layer each line is about.
/// </summary>
public sealed class SessionLog(ILoggingAdapter log, string sessionId)
{
    public static string Prefix(string sessionId, string? layer = null) =>
        layer is null ? $"[session {sessionId}]" : $"[session {sessionId} {layer}]";

    public void Info(string message) => Info(null, message);

    public void Info(string? layer, string message)
    {
        if (log.IsInfoEnabled) log.Info("{0} {1}", Prefix(sessionId, layer), message);
    }

    public void Warning(string? layer, string message)
    {
        if (log.IsWarningEnabled) log.Warning("{0} {1}", Prefix(sessionId, layer), message);
    }
}
