using System.Buffers;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Transport;

/// <summary>
/// The messages of one stream in one direction that have reached the receiving end but were not yet taken: a FIFO
/// of pooled buffers, each with a time stamp that the channel kind interprets (virtual arrival time, real arrival
/// time, or unused). One reader at a time; any number of writers.
/// </summary>
internal sealed class InboundMessageQueue(string streamName, TimeSpan receiveTimeout)
{
    private readonly Queue<InboundMessage> _messages = new();
    private string? _writerClosed, _readerClosed;
    private bool _writerFailedProtocol;

    public string StreamName => streamName;

    /// <summary>True once this end was closed: a reader waiting for a message's arrival time should stop.</summary>
    public bool IsReaderClosed => Volatile.Read(ref _readerClosed) is not null;

    /// <summary>Copies the message into a pooled buffer and queues it.</summary>
    public void Enqueue(ReadOnlySpan<byte> message, double stamp)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, message.Length));
        message.CopyTo(buffer);
        EnqueueOwned(buffer, message.Length, stamp);
    }

    /// <summary>Queues a message whose pooled buffer the queue now owns.</summary>
    private void EnqueueOwned(byte[] pooledBuffer, int length, double stamp)
    {
        lock (_messages)
        {
            if (_writerClosed is not null)
            {
                ArrayPool<byte>.Shared.Return(pooledBuffer);
                throw new ChannelClosedException($"stream '{streamName}': cannot send, the channel is closed ({_writerClosed})");
            }
            _messages.Enqueue(new InboundMessage(pooledBuffer, length, stamp));
            Monitor.PulseAll(_messages);
        }
    }

    /// <summary>Queues an owned message unless this end is closed, in which case the message is dropped.</summary>
    public bool TryEnqueueOwned(byte[] pooledBuffer, int length, double stamp)
    {
        lock (_messages)
        {
            if (_writerClosed is not null)
            {
                ArrayPool<byte>.Shared.Return(pooledBuffer);
                return false;
            }
            _messages.Enqueue(new InboundMessage(pooledBuffer, length, stamp));
            Monitor.PulseAll(_messages);
            return true;
        }
    }

    /// <summary>
    /// Waits for the next message and hands its buffer to the caller (who returns it with
    /// <see cref="InboundMessage.Release"/>). Messages queued before the writer closed are still delivered.
    /// </summary>
    public InboundMessage Dequeue()
    {
        lock (_messages)
        {
            long deadline = receiveTimeout == Timeout.InfiniteTimeSpan
                ? long.MaxValue
                : Environment.TickCount64 + (long)receiveTimeout.TotalMilliseconds;
            while (_messages.Count == 0)
            {
                if (_readerClosed is not null)
                    throw new ChannelClosedException($"stream '{streamName}': this party's channel is closed ({_readerClosed})");
                if (_writerClosed is not null)
                    throw _writerFailedProtocol
                        ? new ProtocolException($"stream '{streamName}': {_writerClosed}")
                        : new ChannelClosedException($"stream '{streamName}': the peer closed the channel ({_writerClosed})");
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                    throw new ProtocolException(
                        $"stream '{streamName}': no message from the peer within {receiveTimeout.TotalSeconds:0.###} s");
                Monitor.Wait(_messages, (int)Math.Min(left, 60_000));
            }
            return _messages.Dequeue();
        }
    }

    /// <summary>No more messages will come; the reader gets the ones queued, then an exception with the reason.</summary>
    public void CloseWriter(string reason, bool protocolError = false)
    {
        lock (_messages)
        {
            if (_writerClosed is null)
            {
                _writerClosed = reason;
                _writerFailedProtocol = protocolError;
            }
            Monitor.PulseAll(_messages);
        }
    }

    /// <summary>This end is closed: pending and future receives fail at once and queued messages are dropped.</summary>
    public void CloseReader(string reason)
    {
        lock (_messages)
        {
            _readerClosed ??= reason;
            _writerClosed ??= reason;
            while (_messages.Count > 0) _messages.Dequeue().Release();
            Monitor.PulseAll(_messages);
        }
    }
}

/// <summary>A queued message: a pooled buffer (owned by whoever holds this), its length and its time stamp.</summary>
internal readonly record struct InboundMessage(byte[] Buffer, int Length, double Stamp)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    /// <summary>Copies the message into <paramref name="dst"/> when the lengths agree, releases it, returns its length.</summary>
    public int CopyToAndRelease(Span<byte> dst)
    {
        if (Length == dst.Length) Span.CopyTo(dst);
        Release();
        return Length;
    }

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}
