using System.Diagnostics;
using Akka.Actor;
using CoPriv.Actors.Metrics;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// What <see cref="ServerParty"/> and <see cref="ClientParty"/> share: one child per live session, the outcome of each
/// session published on the event stream, counters and a short history for the inspector. A session that fails or
/// crashes is stopped alone (supervision: stop the child); the party keeps serving the others.
/// </summary>
public abstract class PartyActor : ReceiveActor
{
    private readonly Dictionary<string, IActorRef> _live = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly LinkedList<SessionStatus> _recent = new();
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private long _started, _completed, _failed, _rejected, _bytesSent, _bytesReceived;

    protected PartyActor(PartyRole role, SessionSettings settings)
    {
        Role = role;
        Settings = settings;
        Receive<SessionCompleted>(m => Ended(m.SessionId, m.Status, m));
        Receive<SessionFailed>(m => Ended(m.SessionId, m.Status, m));
        Receive<Terminated>(t =>
        {
            // Termination notices overtake the child's last message; look again once that message is handled.
            var id = _live.FirstOrDefault(e => e.Value.Equals(t.ActorRef)).Key;
            if (id is not null) Self.Tell(new SessionStopped(id));
        });
        Receive<SessionStopped>(m => Stopped(m.SessionId));
        Receive<GetPartyStatus>(_ => ReplyPartyStatus());
        Receive<GetSessionStatus>(m =>
        {
            if (_live.TryGetValue(m.SessionId, out var session) && !_ended.Contains(m.SessionId)) session.Forward(m);
            else Sender.Tell((object?)_recent.FirstOrDefault(s => s.SessionId == m.SessionId) ?? new SessionNotFound(m.SessionId));
        });
        Receive<AbortSession>(m =>
        {
            if (_live.TryGetValue(m.SessionId, out var session) && !_ended.Contains(m.SessionId)) session.Forward(m);
            else Sender.Tell(new SessionNotFound(m.SessionId));
        });
    }

    protected PartyRole Role { get; }
    protected SessionSettings Settings { get; }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Sessions that run (started and not yet ended).</summary>
    protected IEnumerable<(string Id, IActorRef Session)> RunningSessions =>
        _live.Where(e => !_ended.Contains(e.Key)).Select(e => (e.Key, e.Value));

    /// <summary>True while a session of this id exists as a child (running or still stopping).</summary>
    protected bool IsLive(string sessionId) => _live.ContainsKey(sessionId);

    protected void StartSession(string sessionId, Props props)
    {
        var child = Context.ActorOf(props, LayerNames.ForSession(sessionId));
        Context.Watch(child);
        _live.Add(sessionId, child);
        _started++;
        SessionMetrics.SessionStarted(Role);
    }

    protected void CountRejected() => _rejected++;

    /// <summary>Hook for the party to pass a session's outcome on (the client party answers its requester).</summary>
    protected virtual void OnSessionEnded(string sessionId, object outcome) { }

    /// <summary>Hook called once a session's actor has stopped and its slot is free.</summary>
    protected virtual void OnSessionStopped(string sessionId) { }

    private void Ended(string sessionId, SessionStatus status, object outcome)
    {
        if (!_ended.Add(sessionId)) return;
        if (outcome is SessionCompleted) _completed++; else _failed++;
        SessionMetrics.SessionEnded(Role, outcome is SessionCompleted, status.Elapsed);
        _bytesSent += status.BytesSent;
        _bytesReceived += status.BytesReceived;
        _recent.AddFirst(status);
        while (_recent.Count > Settings.History) _recent.RemoveLast();
        Context.System.EventStream.Publish(outcome);
        OnSessionEnded(sessionId, outcome);
    }

    private void Stopped(string sessionId)
    {
        if (!_ended.Contains(sessionId))
        {
            var reason = $"the {Role.ToString().ToLowerInvariant()} session actor stopped unexpectedly";
            var status = new SessionStatus(sessionId, Role, SessionState.Failed, null, [], 0, 0, 0, TimeSpan.Zero, null, reason);
            Ended(sessionId, status, new SessionFailed(sessionId, Role, Role, null, reason, status));
        }
        _live.Remove(sessionId);
        _ended.Remove(sessionId);
        OnSessionStopped(sessionId);
    }

    private void ReplyPartyStatus()
    {
        var running = RunningSessions.ToArray();
        var recent = _recent.Select(SessionSummary.Of).ToArray();
        var path = Self.Path.ToStringWithAddress(((ExtendedActorSystem)Context.System).Provider.DefaultAddress);
        var (started, completed, failed, rejected, sent, received, uptime) =
            (_started, _completed, _failed, _rejected, _bytesSent, _bytesReceived, _uptime.Elapsed);
        var role = Role;
        var timeout = TimeSpan.FromSeconds(2);
        Task.WhenAll(running.Select(s => s.Session.Ask<SessionStatus>(new GetSessionStatus(s.Id), timeout)
                .ContinueWith(t => t.IsCompletedSuccessfully ? SessionSummary.Of(t.Result) : null, TaskScheduler.Default)))
            .ContinueWith(t => new PartyStatus(role, path, t.Result.OfType<SessionSummary>().ToArray(), recent,
                started, completed, failed, rejected, sent, received, uptime), TaskScheduler.Default)
            .PipeTo(Sender);
    }

    private sealed record SessionStopped(string SessionId) : INoSerializationVerificationNeeded;
}
