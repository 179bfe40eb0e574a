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

    /// <summary>Bytes, flights and the link's bound of the longest chain so far.</summary>
    public (long Bytes, long Flights, TimeSpan Bound) Longest
    {
        get
        {
            lock (_gate) return (_longest.Bytes, _longest.Flights, link.SequentialLowerBound(_longest.Bytes, _longest.Flights));
        }
    }

    /// <summary>This party's end, recording its messages.</summary>
    public IChannel Wrap(IChannel channel) => new StreamWrappingChannel(channel, stream => new TrackedStream(this, channel.Role, stream));

    /// <summary>A step of <paramref name="party"/> begins on this thread: it has received everything of its earlier steps.</summary>
    public void BeginStep(PartyRole party)
    {
        lock (_gate) _threads[(party, Environment.CurrentManagedThreadId)] = _partyLongest[(int)party];
    }

    private void Sent(PartyRole sender, string stream, int bytes)
    {
        var before = _threads.GetValueOrDefault((sender, Environment.CurrentManagedThreadId), Chain.Empty);
        var chain = new Chain(before.Bytes + bytes, before.Flights + 1, before.Seconds + link.TransmissionSeconds(bytes) + link.PropagationSeconds);
        _inFlight.GetOrAdd((sender, stream), _ => new ConcurrentQueue<Chain>()).Enqueue(chain);
        lock (_gate)
            if (chain.Seconds > _longest.Seconds) _longest = chain;
    }

    private void Received(PartyRole receiver, string stream)
    {
        if (!_inFlight.TryGetValue((receiver.Peer(), stream), out var queue) || !queue.TryDequeue(out var chain)) return;
        var key = (receiver, Environment.CurrentManagedThreadId);
        lock (_gate)
        {
            if (chain.Seconds > _threads.GetValueOrDefault(key, Chain.Empty).Seconds) _threads[key] = chain;
            if (chain.Seconds > _partyLongest[(int)receiver].Seconds) _partyLongest[(int)receiver] = chain;
        }
    }

    private sealed record Chain(long Bytes, long Flights, double Seconds)
    {
        public static readonly Chain Empty = new(0, 0, 0);
    }

    private sealed class TrackedStream(CausalChain chain, PartyRole role, IMessageStream inner) : IMessageStream
    {
        public string Name => inner.Name;

        public void Send(ReadOnlySpan<byte> message)
        {
            // Booked before the message can arrive, so the receiver always finds its chain.
            chain.Sent(role, inner.Name, message.Length);
            inner.Send(message);
        }

        public void Receive(Span<byte> message)
        {
            inner.Receive(message);
            chain.Received(role, inner.Name);
        }
    }
}
