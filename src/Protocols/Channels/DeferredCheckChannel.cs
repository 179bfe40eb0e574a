using System.Collections.Concurrent;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Channels;

/// <summary>
/// A party's channel end that can run a check just before this party next reads anything from the peer: a protocol
/// call sends its half of a parameter handshake and goes on sending, and the peer's half is received and compared
/// (<see cref="Defer"/>) before the first of the peer's protocol bytes is read, on any stream. The handshake then
/// costs no flight of its own — the call's first messages leave with it — and a mismatch still fails before anything
/// the peer sent under other parameters is interpreted. Concurrent receivers wait for the check to finish.
/// </summary>
internal sealed class DeferredCheckChannel(IChannel inner) : IChannel
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, IMessageStream> _streams = new(StringComparer.Ordinal);
    private Action? _pending;

    public IChannel Inner { get; } = inner;

    public PartyRole Role => Inner.Role;

    public TrafficMeter Meter => Inner.Meter;

    public IMessageStream Stream(string name) => _streams.GetOrAdd(name, n => new CheckedStream(this, Inner.Stream(n)));

    /// <summary>
    /// Registers <paramref name="check"/> to run before this party's next receive; a check still pending from an
    /// earlier call runs first, so checks run in the order they were deferred.
    /// </summary>
    public void Defer(Action check)
    {
        ArgumentNullException.ThrowIfNull(check);
        lock (_gate)
        {
            RunPending();
            _pending = check;
        }
    }

    /// <summary>Runs the pending check, if any (e.g. at the end of a step whose last call received nothing).</summary>
    public void RunPendingCheck()
    {
        if (Volatile.Read(ref _pending) is null) return;
        lock (_gate) RunPending();
    }

    private void RunPending()
    {
        var check = _pending;
        _pending = null;
        check?.Invoke();
    }

    public void Fail(string reason) => Inner.Fail(reason);

    public void Dispose() => Inner.Dispose();

    private sealed class CheckedStream(DeferredCheckChannel channel, IMessageStream inner) : IMessageStream
    {
        public string Name => inner.Name;

        public void Send(ReadOnlySpan<byte> message) => inner.Send(message);

        public void Receive(Span<byte> message)
        {
            channel.RunPendingCheck();
            inner.Receive(message);
        }
    }
}
