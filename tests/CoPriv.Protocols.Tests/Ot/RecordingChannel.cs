using System.Buffers.Binary;
using System.Security.Cryptography;
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

    /// <summary>
    /// SHA-256 (lower-case hex) of everything both ends sent: per party ("server", "client") and stream (by name), the
    /// label, then each message as its length (int64 little-endian) and bytes. What the pinned wire-trace tests compare.
    /// </summary>
    public static string TraceHash(RecordingChannel server, RecordingChannel client)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var (party, channel) in new[] { ("server", server), ("client", client) })
            foreach (var (stream, messages) in channel.Sent.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{party}:{stream}"));
                foreach (var m in messages)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(length, m.Length);
                    sha.AppendData(length);
                    sha.AppendData(m);
                }
            }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

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
