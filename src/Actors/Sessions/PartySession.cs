using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using CoPriv.Actors.Channel;
using CoPriv.Actors.Logging;
using CoPriv.Actors.Metrics;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// What <see cref="ServerSession"/> and <see cref="ClientSession"/> share once the peer session is known: it owns
/// this party's <see cref="ActorChannel"/> end and feeds it from the mailbox, runs the plan's steps one after another
/// (one <see cref="LayerStepActor"/> child each), and ends the session: finished when both parties have finished
/// their steps, failed on the first failure at either end. A failure closes the channel (so the protocol thread
/// unblocks), tells the peer, names the step, and leaves the party running.
/// </summary>
public abstract class PartySession : ReceiveActor, IWithUnboundedStash
{
    private readonly SessionPlan _plan;
    private readonly LayerStatus[] _layers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _cancellation = new();
    private ISessionDataPlane? _channel;
    private IActorRef? _peer;
    private int _running = -1;
    private bool _peerFinished, _stepsSendElsewhere;
    private IReadOnlyList<TrafficRecord> _peerTraffic = [];
    private SessionState _state;
    private string? _failedStep, _failure;

    protected PartySession(string sessionId, PartyRole role, SessionPlan plan,
        IReadOnlyDictionary<string, string> parameters, SessionSettings settings, SessionState initialState)
    {
        SessionId = sessionId;
        Role = role;
        _plan = plan;
        Parameters = parameters;
        Settings = settings;
        _state = initialState;
        _layers = plan.Steps
            .Select((s, i) => new LayerStatus(i + 1, LayerNames.ForStep(i + 1, s.Name), LayerState.Pending, 0, 0, 0, TimeSpan.Zero)
            {
                Predicted = s.Predicted,
            })
            .ToArray();
        Log = new SessionLog(Context.GetLogger(), sessionId);
    }

    public IStash Stash { get; set; } = null!;

    protected string SessionId { get; }
    protected SessionPlan Plan => _plan;
    protected PartyRole Role { get; }
    protected IReadOnlyDictionary<string, string> Parameters { get; }
    protected SessionSettings Settings { get; }
    protected string RoleName => Role.ToString().ToLowerInvariant();

    /// <summary>This session's log: every line names the session (and the layer, where one is meant).</summary>
    protected SessionLog Log { get; }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>
    /// The peer session is known: run the steps on <paramref name="dataPlane"/> (a direct connection made for this
    /// session), or on an <see cref="ActorChannel"/> to the peer's actor when there is none.
    /// </summary>
    protected void StartRunning(IActorRef peer, ISessionDataPlane? dataPlane = null)
    {
        _peer = peer;
        Context.Watch(peer);
        _channel = dataPlane ?? new ActorChannel(Role, SessionId, Self, peer, Settings.Channel, _plan.Meter);
        _state = SessionState.Running;
        Log.Info($"running {_layers.Length} steps with {peer.Path} over {DataPlaneText()}");
        Become(Running);
        Stash.UnstashAll();
        StartStep(0);
    }

    /// <summary>
    /// Answers status and abort requests, and hears that a cluster member became unreachable (only a session that
    /// subscribed gets that: see <see cref="OnMemberUnreachable"/>); every state handles these.
    /// </summary>
    protected void ReceiveQueries()
    {
        Receive<ClusterEvent.UnreachableMember>(m => OnMemberUnreachable(m.Member.Address));
        Receive<GetSessionStatus>(_ => Sender.Tell(Status()));
        Receive<AbortSession>(m =>
        {
            Sender.Tell(new SessionAbortRequested(SessionId));
            FailHere(CurrentStepName, $"killed at the {RoleName}: {m.Reason}");
        });
    }

    private void Running()
    {
        Receive<PayloadChunk>(chunk => Guard(() => _channel!.Deliver(chunk)));
        Receive<PayloadCredit>(credit => Guard(() => _channel!.Credit(credit)));
        Receive<LayerProgressed>(m =>
        {
            _stepsSendElsewhere |= m.SendsElsewhere;
            Update(m.Position, LayerState.Running, m.Progress, m.Traffic, m.Elapsed);
        });
        Receive<LayerStepSucceeded>(m =>
        {
            _stepsSendElsewhere |= m.SendsElsewhere;
            Update(m.Position, LayerState.Succeeded, 1, m.Traffic, m.Elapsed, m.Compute);
            var layer = _layers[m.Position - 1];
            SessionMetrics.LayerFinished(Role, layer.BytesSent, layer.BytesReceived, m.Elapsed);
            Log.Info(layer.Name, string.Create(CultureInfo.InvariantCulture,
                $"step {m.Position}/{_layers.Length} finished: sent {layer.BytesSent} B, received {layer.BytesReceived} B{Predicted(layer)}, {m.Elapsed.TotalSeconds:0.000} s"));
            if (m.Position < _layers.Length) StartStep(m.Position);
            else FinishSteps();
        });
        Receive<LayerStepFailed>(m =>
        {
            Update(m.Position, LayerState.Failed, _layers[m.Position - 1].Progress, m.Traffic, m.Elapsed);
            var layer = _layers[m.Position - 1];
            SessionMetrics.LayerFinished(Role, layer.BytesSent, layer.BytesReceived, m.Elapsed);
            FailHere(layer.Name, $"step {m.Position}/{_layers.Length} '{layer.Name}' failed at the {RoleName}: {m.Error}");
        });
        Receive<SessionFinished>(m =>
        {
            _peerFinished = true;
            _peerTraffic = m.Traffic;
            CompleteIfBothFinished();
        });
        // A protocol that failed its channel itself names no step; the parties run the same step, so name ours.
        Receive<SessionAborted>(m => FailByPeer(m.By, m.Step ?? CurrentStepName, m.Reason));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_peer))
            {
                // Death-watch notices overtake ordinary messages; going through the mailbox once more lets the
                // peer's last chunks and its SessionFinished, sent before it stopped, be handled first.
                Self.Tell(PeerStopped.Instance);
            }
            else if (_running >= 0 && _layers[_running].Name == t.ActorRef.Path.Name && _layers[_running].State == LayerState.Running)
            {
                var layer = _layers[_running].Name;
                FailHere(layer, $"step {_running + 1}/{_layers.Length} '{layer}' failed at the {RoleName}: its layer actor stopped unexpectedly");
            }
        });
        Receive<PeerStopped>(_ =>
        {
            if (_peerFinished) return;
            if (_state == SessionState.Finishing) Complete();
            else FailByPeer(Role.Peer(), CurrentStepName, $"the {Role.Peer().ToString().ToLowerInvariant()} session stopped before finishing");
        });
        ReceiveQueries();
    }

    private void StartStep(int index)
    {
        _running = index;
        var step = _plan.Steps[index];
        var layer = _layers[index];
        _layers[index] = layer with { State = LayerState.Running };
        var child = Context.ActorOf(
            LayerStepActor.Props(step, SessionId, _channel!.Channel, index + 1, _layers.Length, Parameters, _cancellation.Token, Settings.ProgressInterval),
            layer.Name);
        Context.Watch(child);
    }

    private void FinishSteps()
    {
        _running = -1;
        _state = SessionState.Finishing;
        _peer!.Tell(new SessionFinished(SessionId, _channel!.Channel.Meter.Snapshot()));
        CompleteIfBothFinished();
    }

    private void CompleteIfBothFinished()
    {
        if (_state == SessionState.Finishing && _peerFinished) Complete();
    }

    private void Complete()
    {
        object? result;
        try
        {
            result = _plan.Result();
        }
        catch (Exception e)
        {
            FailHere(null, $"the {RoleName}'s plan could not produce its result: {e.GetType().Name}: {e.Message}");
            return;
        }
        _state = SessionState.Completed;
        _clock.Stop();
        _channel!.Dispose();
        var total = _channel.Channel.Meter.Total();
        Log.Info(string.Create(CultureInfo.InvariantCulture,
            $"completed: sent {total.BytesSent} B, received {total.BytesReceived} B, {_clock.Elapsed.TotalSeconds:0.00} s"));
        Context.Parent.Tell(new SessionCompleted(SessionId, Role, result, Status(), _channel.Channel.Meter.Snapshot(), _peerTraffic));
        Context.Stop(Self);
    }

    /// <summary>The session failed at this party: close the channel, tell the peer, report, stop.</summary>
    protected void FailHere(string? step, string reason)
    {
        if (IsOver) return;
        if (_channel is not null) _channel.Abort(step, reason);
        else _peer?.Tell(new SessionAborted(SessionId, Role, step, reason));
        End(Role, step, reason);
    }

    /// <summary>The session failed at the peer (or the peer vanished): close our end without answering, report, stop.</summary>
    protected void FailByPeer(PartyRole by, string? step, string reason)
    {
        if (IsOver) return;
        _channel?.CloseByPeer(reason);
        End(by, step, reason);
    }

    private void End(PartyRole failedAt, string? step, string reason)
    {
        _state = SessionState.Failed;
        if (_running >= 0 && _layers[_running].State == LayerState.Running)
            _layers[_running] = _layers[_running] with { State = LayerState.Failed };
        _failedStep = step;
        _failure = reason;
        _clock.Stop();
        Log.Warning(step, $"failed at the {failedAt.ToString().ToLowerInvariant()}: {reason}");
        _cancellation.Cancel();
        Context.Parent.Tell(new SessionFailed(SessionId, Role, failedAt, step, reason, Status()));
        Context.Stop(Self);
    }

    private bool IsOver => _state is SessionState.Completed or SessionState.Failed;

    protected override void PostStop()
    {
        if (!IsOver)
        {
            // Stopped from outside (party stopping, system shutdown): the peer must not wait for us.
            var reason = $"the {RoleName} session stopped";
            if (_channel is not null) _channel.Abort(CurrentStepName, reason);
            else _peer?.Tell(new SessionAborted(SessionId, Role, CurrentStepName, reason));
        }
        // Not disposed: a step thread may still be registering with the token; a timer-less source needs no disposal.
        _cancellation.Cancel();
        base.PostStop();
    }

    /// <summary>A cluster member this session subscribed to hear about became unreachable; nothing by default.</summary>
    protected virtual void OnMemberUnreachable(Address address)
    {
    }

    protected string? CurrentStepName => _running >= 0 ? _layers[_running].Name : null;

    private void Guard(Action feed)
    {
        try
        {
            feed();
        }
        catch (ProtocolException e)
        {
            FailHere(CurrentStepName, $"channel error at the {RoleName}: {e.Message}");
        }
    }

    private void Update(int position, LayerState state, double progress, TrafficByPhase traffic, TimeSpan elapsed,
        TimeSpan? compute = null)
    {
        var layer = _layers[position - 1];
        if (layer.State is LayerState.Succeeded or LayerState.Failed) return;
        _layers[position - 1] = layer with
        {
            State = state, Progress = progress, Elapsed = elapsed, Phases = traffic, Compute = compute,
            BytesSent = traffic.BytesSent, BytesReceived = traffic.BytesReceived,
        };
    }

    private string Predicted(LayerStatus layer) => layer.Predicted is { } cost
        ? $" (predicted {cost.SentBy(Role)} B and {cost.SentBy(Role.Peer())} B)"
        : "";

    private string DataPlaneText() =>
        _stepsSendElsewhere ? "the steps' own channel (a simulator's modelled link: 'copriv network'); control messages over the actor channel"
        : _channel is TcpSessionDataPlane tcp ? tcp.Description : "the actor channel (chunks over Akka)";

    protected SessionStatus Status()
    {
        // The steps' sums, not the channel's meter: a simulator's steps send over its modelled link instead.
        return new SessionStatus(SessionId, Role, _state, _peer?.Path.ToString(), _layers.ToArray(),
            _layers.Sum(l => l.BytesSent), _layers.Sum(l => l.BytesReceived), _channel?.PeakInFlightBytes ?? 0, _clock.Elapsed,
            _failedStep, _failure)
        {
            DataPlane = _channel is null ? null : DataPlaneText(),
        };
    }

    private sealed record PeerStopped : INoSerializationVerificationNeeded
    {
        public static readonly PeerStopped Instance = new();
    }
}
