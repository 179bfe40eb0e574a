using System.Diagnostics;
using CoPriv.Network;
using CoPriv.Network.Emulation;
using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Sim.Links;

/// <summary>
/// A session over an <see cref="EmulatedLink"/>: messages are held back until their real arrival time. The latency is
/// the real time from the first step's start at either party to the last step's end, so it includes the time the
/// actors take between steps, as a real deployment would. Each party's compute is metered as in a simulation
/// (<see cref="ComputeMeteredChannel"/>), so the two modes report it alike.
/// </summary>
public sealed class EmulatedLinkSession : LinkSession
{
    private readonly EmulatedLink _pair;
    private readonly VirtualClock[] _computeClocks;
    private readonly IChannel[] _ends;
    private readonly object _gate = new();
    private long _first = long.MaxValue, _last = long.MinValue;

    public EmulatedLinkSession(LinkModel link, ComputeTimer timer = ComputeTimer.ThreadCpu) : base(link)
    {
        _pair = EmulatedLink.CreatePair(link);
        _computeClocks = [new VirtualClock(timer), new VirtualClock(timer)];
        _ends = [ComputeMeteredChannel.Wrap(_pair.Server, _computeClocks[0]), ComputeMeteredChannel.Wrap(_pair.Client, _computeClocks[1])];
    }

    public override NetworkMode Mode => NetworkMode.Emulate;

    protected override IChannel EndOf(PartyRole role) => _ends[(int)role];

    protected override IDisposable BeginStep(PartyRole role, string? step)
    {
        lock (_gate) _first = Math.Min(_first, Stopwatch.GetTimestamp());
        return new StepEnd(this, _computeClocks[(int)role].BeginFlow());
    }

    public override LinkDirection DirectionFrom(PartyRole sender) => sender == PartyRole.Server ? _pair.ServerToClient : _pair.ClientToServer;

    public override double? NowSeconds => _pair.ElapsedSeconds;

    public override double SecondsOf(PartyRole role)
    {
        lock (_gate) return _first == long.MaxValue ? 0 : Stopwatch.GetElapsedTime(_first).TotalSeconds;
    }

    public override TimeSpan Latency
    {
        get { lock (_gate) return _last < _first ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_first, _last); }
    }

    public override TimeSpan? ComputeOf(PartyRole role) => _computeClocks[(int)role].Snapshot().ComputeTime;

    public override TimeSpan? Lateness => _pair.TotalLateness;

    private sealed class StepEnd(EmulatedLinkSession session, IDisposable computeFlow) : IDisposable
    {
        public void Dispose()
        {
            computeFlow.Dispose();
            lock (session._gate) session._last = Math.Max(session._last, Stopwatch.GetTimestamp());
        }
    }
}
