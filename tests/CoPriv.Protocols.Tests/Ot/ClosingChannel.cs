using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>
/// A channel end whose party walks away in the middle of a protocol: after its n-th send on one stream it closes
/// the channel, as a crashed or disconnected peer would.
/// </summary>
internal sealed class ClosingChannel : IChannel
{
    private readonly IChannel _inner;
    private readonly string _stream;
    private readonly int _sendsBeforeClosing;
    private int _sent;

    public ClosingChannel(IChannel inner, string stream, int sendsBeforeClosing)
    {
        _inner = inner;
        _stream = stream;
        _sendsBeforeClosing = sendsBeforeClosing;
    }

    public PartyRole Role => _inner.Role;
    public TrafficMeter Meter => _inner.Meter;

    public IMessageStream Stream(string name) => name == _stream ? new ClosingStream(this, _inner.Stream(name)) : _inner.Stream(name);

    public void Fail(string reason) => _inner.Fail(reason);
    public void Dispose() => _inner.Dispose();

    private void Sent()
    {
        if (Interlocked.Increment(ref _sent) == _sendsBeforeClosing) _inner.Dispose();
    }

    private sealed class ClosingStream(ClosingChannel owner, IMessageStream inner) : IMessageStream
    {
        public string Name => inner.Name;

        public void Send(ReadOnlySpan<byte> message)
        {
            inner.Send(message);
            owner.Sent();
        }

        public void Receive(Span<byte> message) => inner.Receive(message);
    }
}
