using System.Buffers;
using System.Collections.Concurrent;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Channels;

/// <summary>
/// Both ends of a session inside one process: each party runs on its own thread and talks through queues of
/// messages. Used by protocol tests and benchmarks; it counts traffic exactly as every other channel does.
/// </summary>
public sealed class InMemoryChannel : ChannelBase
{
    private readonly Hub _hub;

    private InMemoryChannel(Hub hub, PartyRole role) : base(role) => _hub = hub;

    /// <summary>
    /// A connected pair of ends. A receive that waits longer than <paramref name="receiveTimeout"/> fails with a
    /// <see cref="ProtocolException"/> (default: wait as long as the peer is alive).
    /// </summary>
    public static (InMemoryChannel Server, InMemoryChannel Client) CreatePair(TimeSpan? receiveTimeout = null)
    {
        var hub = new Hub(receiveTimeout ?? Timeout.InfiniteTimeSpan);
        return (new InMemoryChannel(hub, PartyRole.Server), new InMemoryChannel(hub, PartyRole.Client));
    }

    protected override MessageTransport OpenTransport(string name)
    {
        var pair = _hub.Pair(name);
        return Role == PartyRole.Server
            ? new QueueTransport(pair.ToClient, pair.ToServer)
            : new QueueTransport(pair.ToServer, pair.ToClient);
    }

    public override void Fail(string reason) => _hub.Close(Role, reason);

    private sealed class Hub(TimeSpan timeout)
    {
        private readonly ConcurrentDictionary<string, StreamPair> _pairs = new(StringComparer.Ordinal);
        private readonly object _gate = new();
        private string? _serverClosed, _clientClosed;

        public StreamPair Pair(string name)
        {
            lock (_gate)
            {
                return _pairs.GetOrAdd(name, n =>
                {
                    var p = new StreamPair(new MessageQueue(n, timeout), new MessageQueue(n, timeout));
                    if (_serverClosed is not null) p.ToClient.CloseWriter(_serverClosed);
                    if (_clientClosed is not null) p.ToServer.CloseWriter(_clientClosed);
                    return p;
                });
            }
        }

        public void Close(PartyRole who, string reason)
        {
            lock (_gate)
            {
                if (who == PartyRole.Server) _serverClosed ??= reason; else _clientClosed ??= reason;
                foreach (var p in _pairs.Values)
                {
                    // The closing end's outgoing queues end; its own pending receives end too.
                    (who == PartyRole.Server ? p.ToClient : p.ToServer).CloseWriter(reason);
                    (who == PartyRole.Server ? p.ToServer : p.ToClient).CloseReader(reason);
                }
            }
        }
    }

    private sealed record StreamPair(MessageQueue ToServer, MessageQueue ToClient);

    private sealed class QueueTransport(MessageQueue outgoing, MessageQueue incoming) : MessageTransport
    {
        public override void Send(ReadOnlySpan<byte> message) => outgoing.Enqueue(message);
        public override int Receive(Span<byte> dst) => incoming.Dequeue(dst);
    }

    /// <summary>One direction of one stream: a FIFO of pooled buffers.</summary>
    private sealed class MessageQueue(string name, TimeSpan timeout)
    {
        private readonly Queue<(byte[] Buffer, int Length)> _messages = new();
        private string? _writerClosed, _readerClosed;

        public void Enqueue(ReadOnlySpan<byte> message)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, message.Length));
            message.CopyTo(buffer);
            lock (_messages)
            {
                if (_writerClosed is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new ChannelClosedException($"stream '{name}': cannot send, the channel is closed ({_writerClosed})");
                }
                _messages.Enqueue((buffer, message.Length));
                Monitor.PulseAll(_messages);
            }
        }

        public int Dequeue(Span<byte> dst)
        {
            (byte[] Buffer, int Length) m;
            lock (_messages)
            {
                var deadline = timeout == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + timeout;
                while (_messages.Count == 0)
                {
                    if (_readerClosed is not null)
                        throw new ChannelClosedException($"stream '{name}': this party's channel is closed ({_readerClosed})");
                    if (_writerClosed is not null)
                        throw new ChannelClosedException($"stream '{name}': the peer closed the channel ({_writerClosed})");
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                        throw new ProtocolException($"stream '{name}': no message from the peer within {timeout.TotalSeconds:0.###} s");
                    Monitor.Wait(_messages, left > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : left);
                }
                m = _messages.Dequeue();
            }
            if (m.Length == dst.Length) m.Buffer.AsSpan(0, m.Length).CopyTo(dst);
            ArrayPool<byte>.Shared.Return(m.Buffer);
            return m.Length;
        }

        public void CloseWriter(string reason)
        {
            lock (_messages)
            {
                _writerClosed ??= reason;
                Monitor.PulseAll(_messages);
            }
        }

        public void CloseReader(string reason)
        {
            lock (_messages)
            {
                _readerClosed ??= reason;
                _writerClosed ??= reason;
                Monitor.PulseAll(_messages);
            }
        }
    }
}
