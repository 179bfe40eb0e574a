using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Channels;

/// <summary>
/// One party's end of the ordered, reliable, duplex link of a session. It carries any number of named
/// <see cref="IMessageStream"/>s that can be used concurrently from different threads (one thread per stream at a
/// time). Every byte that leaves or arrives is counted by <see cref="Meter"/> under the current scope and phase.
/// The implementation (in memory, simulated link, actors, TCP) is invisible to the protocols.
/// </summary>
public interface IChannel : IDisposable
{
    /// <summary>Which party owns this end.</summary>
    PartyRole Role { get; }

    /// <summary>Counts this end's traffic: bytes sent and received, messages, rounds, per scope and phase.</summary>
    TrafficMeter Meter { get; }

    /// <summary>
    /// The sub-stream of this name, created on first use by either side. Messages on different streams are
    /// independent; messages on one stream arrive in order.
    /// </summary>
    IMessageStream Stream(string name);

    /// <summary>
    /// Closes this end because of a failure; the peer's pending and future receives fail fast with a
    /// <see cref="ChannelClosedException"/> that carries the reason.
    /// </summary>
    void Fail(string reason);
}

/// <summary>
/// An ordered stream of messages to and from the peer. Messages keep their boundaries: a receive names the length
/// it expects and fails with a <see cref="ProtocolException"/> (naming the stream and both lengths) when the peer
/// sent something else.
/// </summary>
public interface IMessageStream
{
    string Name { get; }

    /// <summary>Sends one message (copied before return).</summary>
    void Send(ReadOnlySpan<byte> message);

    /// <summary>Receives the next message, which must be exactly <paramref name="message"/>.Length bytes long.</summary>
    void Receive(Span<byte> message);
}
