using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Channels;

/// <summary>
/// A channel end that forwards everything to <paramref name="inner"/> and hands out its streams wrapped by
/// <paramref name="wrap"/>: how an observer (a causal-chain tracker, a compute meter) sees every message of a party
/// without the protocol code or the transport knowing.
/// </summary>
public sealed class StreamWrappingChannel(IChannel inner, Func<IMessageStream, IMessageStream> wrap) : IChannel
{
    public PartyRole Role => inner.Role;
    public TrafficMeter Meter => inner.Meter;
    public IMessageStream Stream(string name) => wrap(inner.Stream(name));
    public void Fail(string reason) => inner.Fail(reason);
    public void Dispose() => inner.Dispose();
}
