using System.Collections.Concurrent;
using CoPriv.Network.Links;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Sim.Links;

/// <summary>
/// The link's floor for a session's latency, from the messages' causality. The Network room's bound (Σ bytes /
/// bandwidth + F · one-way latency, <see cref="LinkModel.SequentialLowerBound"/>) holds for a strictly sequential
/// exchange of F flights. A secure inference is not one: it uses several streams, and messages of the two parties
/// cross (both send, then both receive), so the rounds the meters count per stream exceed its flights. This tracker
/// finds the sequential exchange inside it: each message extends the longest chain of messages its sending thread
/// has received (a message can only leave after those arrived), and the longest chain is a strictly sequential
/// exchange, whose bound the whole session cannot beat.
/// <para>
/// Dependencies are only ever under-estimated (a helper thread starts with no chain; a party's next step starts with
/// the longest chain it received in earlier steps, which it did wait for), so the bound stays a bound.
/// </para>
/// </summary>
public sealed class CausalChain(LinkModel link)
{
    private readonly ConcurrentDictionary<(PartyRole Sender, string Stream), ConcurrentQueue<Chain>> _inFlight = new();
    private readonly ConcurrentDictionary<(PartyRole Party, int Thread), Chain> _threads = new();
    private readonly Chain[] _partyLongest = [Chain.Empty, Chain.Empty];
    private readonly object _gate = new();
    private Chain _longest = Chain.Empty;
    private readonly List<(string Layer, long OnlineFlightsBefore)> _layers = [];

    /// <summary>Bytes, flights and the link's bound of the longest chain so far.</summary>
    public (long Bytes, long Flights, TimeSpan Bound) Longest
    {
        get
        {
            lock (_gate) return (_longest.Bytes, _longest.Flights, link.SequentialLowerBound(_longest.Bytes, _longest.Flights));
        }
    }

    /// <summary>
    /// Flights of the online phase on the longest chain of them: the messages that need the client's input, one after
    /// the other, each sent only after the previous one arrived. Pre-processing and setup messages on the way count
    /// no flight (they do not depend on the input, so a deployment sends them ahead), and flights that overlap count
    /// once. This is what latency costs the online phase: it waits at least this many one-way latencies.
    /// </summary>
    public long OnlineFlights
    {
        get
        {
            lock (_gate) return _longest.OnlineFlights;
        }
    }

    /// <summary>
    /// How many flights each layer added to <see cref="OnlineFlights"/>, in the order the layers began (see
    /// <see cref="BeginLayer"/>); they sum to <see cref="OnlineFlights"/>.
    /// </summary>
    public IReadOnlyList<(string Layer, long OnlineFlights)> OnlineFlightsPerLayer
    {
        get
        {
            lock (_gate)
                return _layers.Select((l, i) => (l.Layer,
                    (i + 1 < _layers.Count ? _layers[i + 1].OnlineFlightsBefore : _longest.OnlineFlights) - l.OnlineFlightsBefore)).ToArray();
        }
    }

    /// <summary>A layer begins (the client's step): the online flights from here on are booked to it.</summary>
    public void BeginLayer(string layer)
    {
        lock (_gate) _layers.Add((layer, _longest.OnlineFlights));
    }

    /// <summary>This party's end, recording its messages.</summary>
    public IChannel Wrap(IChannel channel) =>
        new StreamWrappingChannel(channel, stream => new TrackedStream(this, channel.Role, stream, channel.Meter));

    /// <summary>A step of <paramref name="party"/> begins on this thread: it has received everything of its earlier steps.</summary>
    public void BeginStep(PartyRole party)
    {
        lock (_gate) _threads[(party, Environment.CurrentManagedThreadId)] = _partyLongest[(int)party];
    }

    private void Sent(PartyRole sender, string stream, int bytes, bool online)
    {
        var before = _threads.GetValueOrDefault((sender, Environment.CurrentManagedThreadId), Chain.Empty);
        var chain = new Chain(before.Bytes + bytes, before.Flights + 1, before.Seconds + link.TransmissionSeconds(bytes) + link.PropagationSeconds,
            before.OnlineFlights + (online ? 1 : 0));
        _inFlight.GetOrAdd((sender, stream), _ => new ConcurrentQueue<Chain>()).Enqueue(chain);
        lock (_gate) _longest = _longest.Join(chain);
    }

    private void Received(PartyRole receiver, string stream)
    {
        if (!_inFlight.TryGetValue((receiver.Peer(), stream), out var queue) || !queue.TryDequeue(out var chain)) return;
        var key = (receiver, Environment.CurrentManagedThreadId);
        lock (_gate)
        {
            _threads[key] = _threads.GetValueOrDefault(key, Chain.Empty).Join(chain);
            _partyLongest[(int)receiver] = _partyLongest[(int)receiver].Join(chain);
        }
    }

    /// <summary>
    /// The longest chains ending at one point. Bytes, flights and seconds belong to the chain whose link bound is the
    /// longest; <see cref="OnlineFlights"/> is the most online flights on any chain (a longest path of its own).
    /// </summary>
    private sealed record Chain(long Bytes, long Flights, double Seconds, long OnlineFlights)
    {
        public static readonly Chain Empty = new(0, 0, 0, 0);

        public Chain Join(Chain other) =>
            (other.Seconds > Seconds ? other : this) with { OnlineFlights = Math.Max(OnlineFlights, other.OnlineFlights) };
    }

    private sealed class TrackedStream(CausalChain chain, PartyRole role, IMessageStream inner, TrafficMeter meter) : IMessageStream
    {
        public string Name => inner.Name;

        public void Send(ReadOnlySpan<byte> message)
        {
            // Booked before the message can arrive, so the receiver always finds its chain.
            chain.Sent(role, inner.Name, message.Length, meter.CurrentPhase == Phase.Online);
            inner.Send(message);
        }

        public void Receive(Span<byte> message)
        {
            inner.Receive(message);
            chain.Received(role, inner.Name);
        }
    }
}
