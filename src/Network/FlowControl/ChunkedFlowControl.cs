using CoPriv.Protocols.Core;

namespace CoPriv.Network.FlowControl;

/// <summary>
/// The sending half of chunked, credit-based transfer for one stream, for transports that have no back-pressure
/// of their own (Akka messages: the actor channel): a message leaves as chunks of at most <see cref="ChunkBytes"/>
/// bytes, and the sender never has more than <see cref="WindowBytes"/> bytes that the peer has not acknowledged; it
/// blocks until acknowledgements make room. The receiving side acknowledges each chunk as soon as it has taken it off
/// the transport (e.g. into a <see cref="ChunkReassembler"/>), so the window bounds what is in flight (e.g. in
/// mailboxes); acknowledging only whole messages would deadlock on a message longer than the window.
/// One sending thread per stream (so chunks reach the sink in order); acknowledgements and failures may come from any
/// thread.
/// </summary>
public sealed class ChunkedFlowControl
{
    public const int DefaultChunkBytes = 64 * 1024;
    public const long DefaultWindowBytes = 64L * DefaultChunkBytes;
    public const long DefaultMaxMessageBytes = 1L << 30;

    private readonly object _gate = new();
    private readonly string _streamName;
    private readonly string _peerName;
    private readonly TimeSpan _creditTimeout;
    private long _unacknowledged, _peak;
    private string? _failure;

    /// <summary>
    /// Receives one chunk to put on the wire: bytes [<paramref name="offset"/>, offset + chunk.Length) of a
    /// <paramref name="messageLength"/>-byte message. It must copy the bytes before returning.
    /// </summary>
    public delegate void ChunkSink(ReadOnlySpan<byte> chunk, int offset, int messageLength);

    /// <param name="peerName">Who grants the credit, as error messages name it ("peer", "server", …).</param>
    /// <param name="creditTimeout">How long a send waits for credit (infinite when null).</param>
    public ChunkedFlowControl(string streamName, int chunkBytes = DefaultChunkBytes, long windowBytes = DefaultWindowBytes,
        TimeSpan? creditTimeout = null, string peerName = "peer")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBytes);
        if (windowBytes < chunkBytes)
            throw new ArgumentException($"the window ({windowBytes} bytes) must hold at least one chunk ({chunkBytes} bytes)", nameof(windowBytes));
        _streamName = streamName;
        _peerName = peerName;
        ChunkBytes = chunkBytes;
        WindowBytes = windowBytes;
        _creditTimeout = creditTimeout ?? Timeout.InfiniteTimeSpan;
    }

    public int ChunkBytes { get; }
    public long WindowBytes { get; }

    /// <summary>Bytes sent and not yet acknowledged.</summary>
    public long Unacknowledged { get { lock (_gate) return _unacknowledged; } }

    /// <summary>The most bytes ever outstanding at once (never above <see cref="WindowBytes"/>).</summary>
    public long PeakUnacknowledged { get { lock (_gate) return _peak; } }

    /// <summary>
    /// Sends <paramref name="message"/> through <paramref name="sink"/> as chunks (an empty message is one empty
    /// chunk), waiting for credit before each chunk.
    /// </summary>
    public void Send(ReadOnlySpan<byte> message, ChunkSink sink)
    {
        int offset = 0;
        do
        {
            int length = Math.Min(ChunkBytes, message.Length - offset);
            TakeCredit(length);
            sink(message.Slice(offset, length), offset, message.Length);
            offset += length;
        } while (offset < message.Length);
    }

    /// <summary>The peer has taken <paramref name="bytes"/> more bytes off the transport.</summary>
    public void Acknowledge(long bytes)
    {
        lock (_gate)
        {
            if (bytes <= 0 || bytes > _unacknowledged)
                throw new ProtocolException(
                    $"stream '{_streamName}': the {_peerName} granted {bytes} bytes of credit with only {_unacknowledged} outstanding");
            _unacknowledged -= bytes;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// The stream is dead: a sender waiting for credit fails, and so do later sends, with a
    /// <see cref="ChannelClosedException"/> "stream 's': cannot send, <paramref name="why"/>".
    /// </summary>
    public void Fail(string why)
    {
        lock (_gate)
        {
            _failure ??= why;
            Monitor.PulseAll(_gate);
        }
    }

    private void TakeCredit(int bytes)
    {
        lock (_gate)
        {
            long deadline = _creditTimeout == Timeout.InfiniteTimeSpan
                ? long.MaxValue
                : Environment.TickCount64 + (long)_creditTimeout.TotalMilliseconds;
            while (true)
            {
                if (_failure is not null)
                    throw new ChannelClosedException($"stream '{_streamName}': cannot send, {_failure}");
                if (_unacknowledged + bytes <= WindowBytes) break;
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                    throw new ProtocolException(
                        $"stream '{_streamName}': no credit from the {_peerName} within {_creditTimeout.TotalSeconds:0.###} s " +
                        $"with {_unacknowledged} bytes outstanding");
                Monitor.Wait(_gate, (int)Math.Min(left, 60_000));
            }
            _unacknowledged += bytes;
            _peak = Math.Max(_peak, _unacknowledged);
        }
    }
}
