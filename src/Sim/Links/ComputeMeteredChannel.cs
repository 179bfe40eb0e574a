using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Sim.Links;

/// <summary>
/// A party's end of a real-time link with a <see cref="VirtualClock"/> beside it that only meters compute: the clock
/// sees every message as it does on a simulated link, but with no link delay, so its compute (thread CPU time
/// between the party's channel operations, helper threads included) is measured exactly as a simulation measures it,
/// while the time a receive blocks costs nothing.
/// </summary>
internal static class ComputeMeteredChannel
{
    public static IChannel Wrap(IChannel inner, VirtualClock clock) =>
        new StreamWrappingChannel(inner, stream => new MeteredStream(stream, clock));

    private sealed class MeteredStream(IMessageStream inner, VirtualClock clock) : IMessageStream
    {
        public string Name => inner.Name;

        public void Send(ReadOnlySpan<byte> message)
        {
            var operation = clock.BeginOperation(inner.Name);
            inner.Send(message);
            clock.CompleteSend(operation);
        }

        public void Receive(Span<byte> message)
        {
            var operation = clock.BeginOperation(inner.Name);
            inner.Receive(message);
            clock.CompleteReceive(operation, operation.Seconds);
        }
    }
}
