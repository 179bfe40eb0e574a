using System.Diagnostics;
using Akka.Actor;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// <c>/user/server</c> or <c>/user/client</c> of a `copriv run --inspect`: the stand-in of one party of an inference
/// that runs in this process without actors (both parties on threads, in-memory channels), so that the inspector's
/// <c>copriv sessions</c>, <c>session</c> and <c>watch</c> show its one session. It answers the party and session
/// queries from the layers the engine reports finished and from the party's traffic meter (per layer and phase, read
/// when asked). <c>copriv kill</c> fails the party's end of the in-memory channel pair, as a session actor fails its
/// channel: the party's blocked sends and receives throw, the peer's end with them, and the run ends with the reason.
/// </summary>
public sealed class InProcessRunParty : ReceiveActor
{
    private readonly PartyRole _role;
    private readonly string _sessionId;
    private readonly IChannel _channel;
    private readonly Action<InProcessRunKilled> _killed;
    private readonly IReadOnlyList<(string Name, CommunicationCost? Predicted)> _layers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan[] _layerTimes;
    private int _done;
    private SessionState _state = SessionState.Running;
    private string? _failure;

    public InProcessRunParty(PartyRole role, string sessionId, IChannel channel, IReadOnlyList<(string Name, CommunicationCost? Predicted)> layers,
        Action<InProcessRunKilled> killed)
    {
        _role = role;
        _sessionId = sessionId;
        _channel = channel;
        _killed = killed;
        _layers = layers;
        _layerTimes = new TimeSpan[layers.Count];
        Receive<InProcessLayerFinished>(m =>
        {
            if (m.Index >= 0 && m.Index < _layerTimes.Length) _layerTimes[m.Index] = m.LayerTime;
            _done = Math.Max(_done, m.Index + 1);
        });
        Receive<InProcessRunEnded>(m =>
        {
            _state = m.Failure is null ? SessionState.Completed : SessionState.Failed;
            _failure = m.Failure;
            _clock.Stop();
        });
        Receive<GetSessionStatus>(m => Sender.Tell(m.SessionId == _sessionId ? Status() : new SessionNotFound(m.SessionId)));
        Receive<AbortSession>(m =>
        {
            if (m.SessionId != _sessionId || _state != SessionState.Running)
            {
                Sender.Tell(new SessionNotFound(m.SessionId));
                return;
            }
            var reason = $"killed at the {_role.ToString().ToLowerInvariant()}: {m.Reason}";
            _killed(new InProcessRunKilled(_layers[Math.Min(_done, _layers.Count - 1)].Name, reason));
            _channel.Fail(reason);
            // Answer last: pbm asks the parties one after the other, so the first party asked has recorded its kill
            // before the next is asked, and the run's error names it whichever actor runs first.
            Sender.Tell(new SessionAbortRequested(m.SessionId));
        });
        Receive<GetPartyStatus>(_ =>
        {
            var status = Status();
            bool running = _state == SessionState.Running;
            Sender.Tell(new PartyStatus(_role, Self.Path.ToString(), running ? [SessionSummary.Of(status)] : [],
                running ? [] : [SessionSummary.Of(status)], 1, _state == SessionState.Completed ? 1 : 0,
                _state == SessionState.Failed ? 1 : 0, 0, running ? 0 : status.BytesSent, running ? 0 : status.BytesReceived, _clock.Elapsed));
        });
    }

    /// <summary>
    /// The stand-in for the party whose end of the run's channel pair is <paramref name="channel"/>; a kill is reported
    /// to <paramref name="killed"/> (on the actor's thread) before the channel fails.
    /// </summary>
    public static Props Props(PartyRole role, string sessionId, IChannel channel, IReadOnlyList<(string Name, CommunicationCost? Predicted)> layers,
        Action<InProcessRunKilled> killed) =>
        Akka.Actor.Props.Create(() => new InProcessRunParty(role, sessionId, channel, layers, killed));

    private SessionStatus Status()
    {
        var records = _channel.Meter.Snapshot();
        TrafficByPhase Of(string layer)
        {
            long[] counts = new long[6];
            foreach (var r in records.Where(r => r.Layer == layer))
            {
                counts[2 * (int)r.Phase] += r.BytesSent;
                counts[2 * (int)r.Phase + 1] += r.BytesReceived;
            }
            return new TrafficByPhase(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
        }
        var layers = _layers.Select((l, i) =>
        {
            var traffic = Of(l.Name);
            var state = i < _done ? LayerState.Succeeded
                : i == _done && _state == SessionState.Running ? LayerState.Running
                : i == _done && _state == SessionState.Failed ? LayerState.Failed : LayerState.Pending;
            return new LayerStatus(i + 1, l.Name, state, state == LayerState.Succeeded ? 1 : 0, traffic.BytesSent, traffic.BytesReceived,
                _layerTimes[i]) { Phases = traffic, Predicted = l.Predicted };
        }).ToArray();
        var total = _channel.Meter.Total();
        return new SessionStatus(_sessionId, _role, _state, $"the {_role.Peer().ToString().ToLowerInvariant()} thread of this process",
            layers, total.BytesSent, total.BytesReceived, 0, _clock.Elapsed, _state == SessionState.Failed && _done < layers.Length ? layers[_done].Name : null, _failure)
        {
            DataPlane = "in-memory channel (both parties in this process)",
        };
    }
}

/// <summary>Fact: the engine finished layer <see cref="Index"/> (0-based) of this party in <see cref="LayerTime"/>.</summary>
public sealed record InProcessLayerFinished(int Index, TimeSpan LayerTime) : INoSerializationVerificationNeeded;

/// <summary>Fact: the run ended, failed when <see cref="Failure"/> is set.</summary>
public sealed record InProcessRunEnded(string? Failure) : INoSerializationVerificationNeeded;

/// <summary>What a party reports when the inspector kills the run: the layer it was in, and where and why (<see cref="Reason"/>).</summary>
public sealed record InProcessRunKilled(string Layer, string Reason);
