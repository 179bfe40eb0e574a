using CoPriv.Network.Links;
using CoPriv.Network.Transport;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Simulation;

/// <summary>
/// One party's end of a <see cref="SimulatedLink"/>. It behaves like an in-memory channel (same metering, same
/// failure semantics) and in addition keeps this party's <see cref="Clock"/>.
/// </summary>
public sealed class SimulatedChannel : ChannelBase
{
    private readonly StreamPairHub _hub;
    private readonly LinkDirection _outgoing;

    internal SimulatedChannel(SimulatedLink link, StreamPairHub hub, PartyRole role, LinkDirection outgoing, VirtualClock clock)
        : base(role)
    {
        Link = link;
        _hub = hub;
        _outgoing = outgoing;
        Clock = clock;
    }

    public SimulatedLink Link { get; }

    /// <summary>This party's simulated time.</summary>
    public VirtualClock Clock { get; }

    protected override MessageTransport OpenTransport(string name)
    {
        var (outgoing, incoming) = _hub.Open(Role, name);
        return new ClockedTransport(name, outgoing, incoming, _outgoing, Clock);
    }

    public override void Fail(string reason) => _hub.Close(Role, reason);

    private sealed class ClockedTransport(
        string name, InboundMessageQueue outgoing, InboundMessageQueue incoming, LinkDirection link, VirtualClock clock)
        : MessageTransport
    {
        public override void Send(ReadOnlySpan<byte> message)
        {
            var operation = clock.BeginOperation(name);
            double arrival = link.Transmit(operation.Seconds, message.Length);
            outgoing.Enqueue(message, arrival);
            clock.CompleteSend(operation);
        }

        public override int Receive(Span<byte> dst)
        {
            var operation = clock.BeginOperation(name);
            var message = incoming.Dequeue();
            clock.CompleteReceive(operation, message.Stamp);
            return message.CopyToAndRelease(dst);
        }
    }
}
