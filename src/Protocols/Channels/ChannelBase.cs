using System.Collections.Concurrent;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Channels;

/// <summary>
/// The transport-independent half of a channel end: named streams, metering, round counting and the exact-length
/// check. A concrete channel only moves whole messages through <see cref="MessageTransport"/>s.
/// </summary>
public abstract class ChannelBase : IChannel
{
    private readonly ConcurrentDictionary<string, MeteredStream> _streams = new(StringComparer.Ordinal);

    protected ChannelBase(PartyRole role, TrafficMeter? meter = null)
    {
        Role = role;
        Meter = meter ?? new TrafficMeter();
    }

    public PartyRole Role { get; }
    public TrafficMeter Meter { get; }

    public IMessageStream Stream(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _streams.GetOrAdd(name, n => new MeteredStream(this, n, OpenTransport(n)));
    }

    /// <summary>Creates the transport of one named stream (called once per name).</summary>
    protected abstract MessageTransport OpenTransport(string name);

    public abstract void Fail(string reason);

    public virtual void Dispose() => Fail($"the {Role.ToString().ToLowerInvariant()} closed the channel");

    private sealed class MeteredStream(ChannelBase owner, string name, MessageTransport transport) : IMessageStream
    {
        private bool _lastWasSend;

        public string Name => name;

        public void Send(ReadOnlySpan<byte> message)
        {
            bool newFlight = !_lastWasSend;
            _lastWasSend = true;
            transport.Send(message);
            owner.Meter.RecordSend(message.Length, newFlight);
        }

        public void Receive(Span<byte> message)
        {
            _lastWasSend = false;
            int actual = transport.Receive(message);
            owner.Meter.RecordReceive(actual);
            if (actual != message.Length)
                throw new ProtocolException(
                    $"stream '{name}': expected a message of {message.Length} bytes from the {owner.Role.Peer().ToString().ToLowerInvariant()}, received {actual} bytes");
        }
    }
}

/// <summary>Moves whole messages of one named stream; metering and checks are done by <see cref="ChannelBase"/>.</summary>
public abstract class MessageTransport
{
    /// <summary>Sends one message; the span is not used after return.</summary>
    public abstract void Send(ReadOnlySpan<byte> message);

    /// <summary>
    /// Takes the next message off the stream and returns its length. When it equals dst.Length the message is
    /// copied into dst; otherwise it is dropped (the caller fails the protocol). Throws
    /// <see cref="ChannelClosedException"/> when the peer has closed or failed and no message is left.
    /// </summary>
    public abstract int Receive(Span<byte> dst);
}
