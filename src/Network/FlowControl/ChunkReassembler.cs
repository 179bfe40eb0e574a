using System.Buffers;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.FlowControl;

/// <summary>
/// The receiving half of chunked transfer for one stream: appends the chunks of a message, in order, until the one
/// marked as its end, and then hands over the whole message. Chunks or messages larger than agreed are the peer's
/// fault and fail with a <see cref="ProtocolException"/>. Used by one thread at a time.
/// </summary>
public sealed class ChunkReassembler
{
    private const int InitialBufferBytes = 256 * 1024;

    private readonly string _streamName;
    private byte[]? _buffer;
    private int _length;

    public ChunkReassembler(string streamName, int maxChunkBytes = ChunkedFlowControl.DefaultChunkBytes,
        long maxMessageBytes = ChunkedFlowControl.DefaultMaxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChunkBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessageBytes, Array.MaxLength);
        _streamName = streamName;
        MaxChunkBytes = maxChunkBytes;
        MaxMessageBytes = maxMessageBytes;
    }

    public int MaxChunkBytes { get; }
    public long MaxMessageBytes { get; }

    /// <summary>Bytes of the message being assembled.</summary>
    public int BufferedBytes => _length;

    /// <summary>
    /// Adds the next chunk. Returns true when <paramref name="endOfMessage"/> completes a message, which the caller
    /// then owns as <paramref name="message"/>.
    /// </summary>
    public bool Add(ReadOnlySpan<byte> chunk, bool endOfMessage, out PooledMessage message)
    {
        if (chunk.Length > MaxChunkBytes)
            throw new ProtocolException(
                $"stream '{_streamName}': the peer sent a chunk of {chunk.Length} bytes, more than the limit of {MaxChunkBytes}");
        if ((long)_length + chunk.Length > MaxMessageBytes)
            throw new ProtocolException(
                $"stream '{_streamName}': the peer's message exceeds the limit of {MaxMessageBytes} bytes");

        if (_buffer is null && endOfMessage)
        {
            // The common case, a message in one chunk: one exact copy, no growing.
            var single = ArrayPool<byte>.Shared.Rent(Math.Max(1, chunk.Length));
            chunk.CopyTo(single);
            message = new PooledMessage(single, chunk.Length);
            return true;
        }

        Append(chunk);
        if (!endOfMessage)
        {
            message = default;
            return false;
        }
        message = new PooledMessage(_buffer!, _length);
        _buffer = null;
        _length = 0;
        return true;
    }

    private void Append(ReadOnlySpan<byte> chunk)
    {
        int needed = _length + chunk.Length;
        if (_buffer is null || needed > _buffer.Length)
        {
            long grown = Math.Max(needed, Math.Max(InitialBufferBytes, 2L * (_buffer?.Length ?? 0)));
            var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(grown, MaxMessageBytes));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = bigger;
        }
        chunk.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Drops a partly assembled message (the stream is closing).</summary>
    public void Reset()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _length = 0;
    }
}
