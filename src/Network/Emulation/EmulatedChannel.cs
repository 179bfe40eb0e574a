using System.Diagnostics;
using CoPriv.Network.Links;
using CoPriv.Network.Transport;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Emulation;

/// <summary>One party's end of an <see cref="EmulatedLink"/>; metering and failures as for every channel.</summary>
public sealed class EmulatedChannel : ChannelBase
{
    private readonly StreamPairHub _hub;
    private readonly LinkDirection _outgoing;

    internal EmulatedChannel(EmulatedLink link, StreamPairHub hub, PartyRole role, LinkDirection outgoing) : base(role)
    {
        Link = link;
        _hub = hub;
        _outgoing = outgoing;
    }

    public EmulatedLink Link { get; }

    protected override MessageTransport OpenTransport(string name)
    {
        var (outgoing, incoming) = _hub.Open(Role, name);
        return new DelayedTransport(name, outgoing, incoming, _outgoing, Link);
    }

    public override void Fail(string reason) => _hub.Close(Role, reason);

    private sealed class DelayedTransport(
        string name, InboundMessageQueue outgoing, InboundMessageQueue incoming, LinkDirection direction, EmulatedLink link)
        : MessageTransport
    {
        public override void Send(ReadOnlySpan<byte> message)
        {
            double arrival = direction.Transmit(link.ElapsedSeconds, message.Length);
            outgoing.Enqueue(message, arrival);
        }

        public override int Receive(Span<byte> dst)
        {
            long called = Stopwatch.GetTimestamp();
            var message = incoming.Dequeue();
            try
            {
                long due = link.TimestampAt(message.Stamp);
                RealTimeWait.Until(due, () => incoming.IsReaderClosed, name);
                link.RecordLateness(Math.Max(due, called));
            }
            catch
            {
                message.Release();
                throw;
            }
            return message.CopyToAndRelease(dst);
        }
    }
}
