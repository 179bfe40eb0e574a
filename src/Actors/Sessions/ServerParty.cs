using System.Globalization;
using Akka.Actor;
using Akka.Event;
using CoPriv.Actors.Channel;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// <c>/user/server</c>: the server party. Owns the model through its <see cref="SessionPlanner"/>, accepts
/// <see cref="OpenSession"/> from client sessions (local or remote) and runs each accepted session in its own child
/// <see cref="ServerSession"/>. A session is rejected when its id is taken or invalid, when the server already runs
/// its limit of sessions ("server busy"), when it is draining for shutdown, when the planner refuses it, or when the
/// client's steps differ from the server's plan; the client learns only the reason. Every session that ends is logged
/// in one line (id, peer, what it ran, bytes per phase, seconds, outcome).
/// </summary>
public sealed class ServerParty : PartyActor
{
    private readonly SessionPlanner _planner;
    private readonly ServerOffer? _offer;
    private readonly ServerDataPlane? _dataPlane;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, string> _described = new(StringComparer.Ordinal);
    private IActorRef? _drainRequester;
    private ICancelable? _drainTimeout;

    public ServerParty(SessionPlanner planner, SessionSettings settings, ServerOffer? offer = null, ServerDataPlane? dataPlane = null)
        : base(PartyRole.Server, settings)
    {
        _planner = planner;
        _offer = offer;
        _dataPlane = dataPlane;
        Receive<OpenSession>(Open);
        Receive<GetServerOffer>(_ =>
        {
            if (_offer is null) Sender.Tell(new Status.Failure(new InvalidOperationException("this server party publishes no offer")));
            else Sender.Tell(_offer with { LiveSessions = RunningSessions.Count(), MaxSessions = Settings.MaxSessions });
        });
        Receive<DrainSessions>(Drain);
        Receive<DrainTimedOut>(_ => AbortRemaining());
    }

    /// <summary>The conventional name under /user.</summary>
    public const string Name = "server";

    public static Props Props(SessionPlanner planner, SessionSettings? settings = null, ServerOffer? offer = null,
        ServerDataPlane? dataPlane = null) =>
        Akka.Actor.Props.Create(() => new ServerParty(planner, settings ?? SessionSettings.Default, offer, dataPlane));

    private bool Draining => _drainRequester is not null;

    private void Open(OpenSession request)
    {
        var (plan, rejection) = Plan(request);
        if (plan is null)
        {
            CountRejected();
            _log.Info("session {0} from {1} refused: {2}", request.SessionId, Sender.Path.Address, rejection);
            Sender.Tell(new SessionRejected(request.SessionId, rejection!));
            return;
        }
        _described[request.SessionId] = Describe(request.Parameters);
        StartSession(request.SessionId, ServerSession.Props(request.SessionId, plan, request.Parameters, Sender, Settings, _dataPlane));
    }

    private (SessionPlan? Plan, string? Rejection) Plan(OpenSession request)
    {
        try
        {
            LayerNames.CheckSessionId(request.SessionId);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
        if (Draining) return (null, "the server is shutting down");
        if (IsLive(request.SessionId)) return (null, $"a session with id '{request.SessionId}' is already running");
        int running = RunningSessions.Count();
        if (running >= Settings.MaxSessions)
            return (null, $"server busy: {running} sessions are running, the limit (copriv.session.max-sessions) is {Settings.MaxSessions}");

        SessionPlan plan;
        try
        {
            plan = _planner(new SessionRequest(request.SessionId, request.StepNames, request.Parameters));
        }
        catch (Exception e)
        {
            return (null, $"the server cannot plan the session: {e.Message}");
        }

        var mine = plan.StepNames;
        var theirs = request.StepNames;
        for (int i = 0; i < Math.Max(mine.Count, theirs.Count); i++)
        {
            var server = i < mine.Count ? mine[i] : "(none)";
            var client = i < theirs.Count ? theirs[i] : "(none)";
            if (server != client)
                return (null, $"the plans differ at step {i + 1}: the client runs '{client}', the server '{server}' ({theirs.Count} vs {mine.Count} steps)");
        }
        return (plan, null);
    }

    protected override void OnSessionEnded(string sessionId, object outcome)
    {
        _described.Remove(sessionId, out var described);
        _log.Info("{0}", SessionLine.Of(sessionId, described ?? "", outcome));
    }

    protected override void OnSessionStopped(string sessionId)
    {
        if (RunningSessions.Any()) return;
        // A session's OT and share buffers (hundreds of MiB for a full network) are garbage once it stops, but the GC
        // keeps the memory committed until its next collection, which an idle server may not run for hours: the last
        // session to stop hands it back to the OS, so a server's footprint between sessions is its model and plan.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (Draining) FinishDrain(0);
    }

    private void Drain(DrainSessions request)
    {
        _drainRequester = Sender;
        int running = RunningSessions.Count();
        if (running == 0)
        {
            FinishDrain(0);
            return;
        }
        _log.Info("shutting down: waiting up to {0:0.#} s for {1} running session(s)", request.Timeout.TotalSeconds, running);
        _drainTimeout = Context.System.Scheduler.ScheduleTellOnceCancelable(request.Timeout, Self, DrainTimedOut.Instance, Self);
    }

    private void AbortRemaining()
    {
        var remaining = RunningSessions.ToArray();
        foreach (var (id, session) in remaining)
            session.Tell(new AbortSession(id, "the server is shutting down"));
        FinishDrain(remaining.Length);
    }

    private void FinishDrain(int aborted)
    {
        _drainTimeout?.Cancel();
        _drainRequester?.Tell(new SessionsDrained(aborted));
    }

    private static string Describe(IReadOnlyDictionary<string, string> parameters) =>
        string.Join(" ", new[] { "model", "protocol", "ell", "ot" }
            .Where(parameters.ContainsKey).Select(k => $"{k}={parameters[k]}"));

    private sealed record DrainTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly DrainTimedOut Instance = new();
    }
}

/// <summary>The one log line of an ended session: id, peer, what it ran, bytes per phase (both directions), seconds, outcome.</summary>
internal static class SessionLine
{
    public static string Of(string sessionId, string described, object outcome)
    {
        var (status, traffic, result) = outcome switch
        {
            SessionCompleted c => (c.Status, c.Traffic, "completed"),
            SessionFailed f => (f.Status, (IReadOnlyList<TrafficRecord>)[], $"failed at the {f.FailedAt.ToString().ToLowerInvariant()}{(f.Step is null ? "" : $" in {f.Step}")}: {f.Reason}"),
            _ => throw new ArgumentException($"not a session outcome: {outcome.GetType().Name}", nameof(outcome)),
        };
        string Phase(Phase phase) => Bytes(traffic.Where(r => r.Phase == phase).Sum(r => r.TotalBytes));
        string bytes = traffic.Count == 0
            ? $"{Bytes(status.BytesSent + status.BytesReceived)} in all"
            : $"pre-processing {Phase(Protocols.Channels.Phase.Preprocessing)}, online {Phase(Protocols.Channels.Phase.Online)}, setup {Phase(Protocols.Channels.Phase.Setup)}";
        string peer = status.Peer is { } path && ActorPath.TryParse(path, out var actorPath) ? actorPath.Address.ToString() : status.Peer ?? "?";
        return string.Create(CultureInfo.InvariantCulture,
            $"session {sessionId} from {peer} ({described}): {bytes}, {status.Elapsed.TotalSeconds:0.00} s, {result}");
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB"),
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
    };
}
