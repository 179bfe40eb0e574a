using System.Diagnostics;
using CoPriv.Network;
using CoPriv.Network.Emulation;
using CoPriv.Network.Links;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Sim.Links;

/// <summary>
/// A session over an <see cref="EmulatedLink"/>: messages are held back until their real arrival time. The latency is
/// the real time from the first step's start at either party to the last step's end, so it includes the time the
/// actors take between steps, as a real deployment would.
/// </summary>
public sealed class EmulatedLinkSession(LinkModel link) : LinkSession(link)
{
    private readonly EmulatedLink _pair = EmulatedLink.CreatePair(link);
    private readonly object _gate = new();
    private long _first = long.MaxValue, _last = long.MinValue;

    public override NetworkMode Mode => NetworkMode.Emulate;

    protected override IChannel EndOf(PartyRole role) => role == PartyRole.Server ? _pair.Server : _pair.Client;

    protected override IDisposable BeginStep(PartyRole role)
    {
        lock (_gate) _first = Math.Min(_first, Stopwatch.GetTimestamp());
        return new StepEnd(this);
    }

    public override TimeSpan Latency
    {
        get { lock (_gate) return _last < _first ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_first, _last); }
    }

    public override TimeSpan? ComputeOf(PartyRole role) => null;

    public override TimeSpan? Lateness => _pair.TotalLateness;

    private sealed class StepEnd(EmulatedLinkSession session) : IDisposable
    {
        public void Dispose()
        {
            lock (session._gate) session._last = Math.Max(session._last, Stopwatch.GetTimestamp());
        }
    }
}
