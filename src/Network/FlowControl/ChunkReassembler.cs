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
    private int _length, _lastMessageLength;

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
        chunk.CopyTo(NextChunk(chunk.Length, endOfMessage));
        message = endOfMessage ? TakeMessage() : default;
        return endOfMessage;
    }

    /// <summary>
    /// Checks the next chunk's announced length against the limits, before anything is allocated for it, and returns
    /// where its bytes go, so that a transport can read them there directly. After the last chunk of a message
    /// (<paramref name="endOfMessage"/>) is filled in, take the message with <see cref="TakeMessage"/>.
    /// </summary>
    public Span<byte> NextChunk(int length, bool endOfMessage)
    {
        if (length > MaxChunkBytes)
            throw new ProtocolException(
                $"stream '{_streamName}': the peer sent a chunk of {length} bytes, more than the limit of {MaxChunkBytes}");
        if ((long)_length + length > MaxMessageBytes)
            throw new ProtocolException(
                $"stream '{_streamName}': the peer's message exceeds the limit of {MaxMessageBytes} bytes");

        // A message in one chunk, the common case: an exact buffer, no growing.
        if (_buffer is null && endOfMessage) _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        else Reserve(_length + length);
        var chunk = _buffer.AsSpan(_length, length);
        _length += length;
        return chunk;
    }

    /// <summary>The message whose last chunk was filled in; the caller owns it.</summary>
    public PooledMessage TakeMessage()
    {
        var message = new PooledMessage(_buffer ?? ArrayPool<byte>.Shared.Rent(1), _length);
        _lastMessageLength = _length;
        _buffer = null;
        _length = 0;
        return message;
    }

    private void Reserve(int needed)
    {
        if (_buffer is not null && needed <= _buffer.Length) return;
        // A stream tends to carry messages of one size: starting at the last one's size spares growing (and copying)
        // every long message again.
        long grown = Math.Max(needed, Math.Max(Math.Max(InitialBufferBytes, _lastMessageLength), 2L * (_buffer?.Length ?? 0)));
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(grown, MaxMessageBytes));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = bigger;
    }

    /// <summary>Drops a partly assembled message (the stream is closing).</summary>
    public void Reset()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _length = 0;
    }
}
