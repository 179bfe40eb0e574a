using System.Collections.Concurrent;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>A channel end that keeps a copy of every message it sends, per stream and in order.</summary>
internal sealed class RecordingChannel(IChannel inner) : IChannel
{
    private readonly ConcurrentDictionary<string, RecordingStream> _streams = new(StringComparer.Ordinal);

    public PartyRole Role => inner.Role;
    public TrafficMeter Meter => inner.Meter;

    public IMessageStream Stream(string name) => _streams.GetOrAdd(name, n => new RecordingStream(inner.Stream(n)));

    /// <summary>Sent messages by stream name.</summary>
    public IReadOnlyDictionary<string, List<byte[]>> Sent =>
        _streams.ToDictionary(p => p.Key, p => p.Value.Messages, StringComparer.Ordinal);

    public void Fail(string reason) => inner.Fail(reason);
    public void Dispose() => inner.Dispose();

    private sealed class RecordingStream(IMessageStream inner) : IMessageStream
    {
        public List<byte[]> Messages { get; } = [];
        public string Name => inner.Name;

        public void Send(ReadOnlySpan<byte> message)
        {
            Messages.Add(message.ToArray());
            inner.Send(message);
        }

        public void Receive(Span<byte> message) => inner.Receive(message);
    }
}
