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
/// when asked). It cannot kill the run: the engine offers no way to stop it.
/// </summary>
public sealed class InProcessRunParty : ReceiveActor
{
    private readonly PartyRole _role;
    private readonly string _sessionId;
    private readonly TrafficMeter _meter;
    private readonly IReadOnlyList<(string Name, CommunicationCost? Predicted)> _layers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan[] _layerTimes;
    private int _done;
    private SessionState _state = SessionState.Running;
    private string? _failure;

    public InProcessRunParty(PartyRole role, string sessionId, TrafficMeter meter, IReadOnlyList<(string Name, CommunicationCost? Predicted)> layers)
    {
        _role = role;
        _sessionId = sessionId;
        _meter = meter;
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
        Receive<AbortSession>(m => Sender.Tell(new SessionNotFound(m.SessionId)));
        Receive<GetPartyStatus>(_ =>
        {
            var status = Status();
            bool running = _state == SessionState.Running;
            Sender.Tell(new PartyStatus(_role, Self.Path.ToString(), running ? [SessionSummary.Of(status)] : [],
                running ? [] : [SessionSummary.Of(status)], 1, _state == SessionState.Completed ? 1 : 0,
                _state == SessionState.Failed ? 1 : 0, 0, running ? 0 : status.BytesSent, running ? 0 : status.BytesReceived, _clock.Elapsed));
        });
    }

    public static Props Props(PartyRole role, string sessionId, TrafficMeter meter, IReadOnlyList<(string Name, CommunicationCost? Predicted)> layers) =>
        Akka.Actor.Props.Create(() => new InProcessRunParty(role, sessionId, meter, layers));

    private SessionStatus Status()
    {
        var records = _meter.Snapshot();
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
        var total = _meter.Total();
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
