using CoPriv.Actors.Serialization;

namespace CoPriv.Actors.Channel;

/// <summary>
/// One piece (at most the channel's chunk size) of a protocol message on one named stream, sent by the protocol
/// thread of one party straight to the peer's session actor. <see cref="Offset"/> and <see cref="MessageLength"/>
/// let the receiver reassemble the whole message; <see cref="Sequence"/> numbers the chunks of a stream in one
/// direction so that a lost or reordered chunk is detected instead of corrupting a message.
/// <para>
/// A chunk is born in its wire form (<see cref="PayloadSerializer"/>'s layout, payload as raw bytes), so crossing
/// the network costs no extra encoding copy and a local delivery reads the payload in place.
/// </para>
/// </summary>
public sealed class PayloadChunk
{
    private readonly byte[] _frame;
    private readonly int _dataStart;

    /// <summary>A chunk carrying a copy of <paramref name="data"/>.</summary>
    public PayloadChunk(string stream, long sequence, int messageLength, int offset, ReadOnlySpan<byte> data)
    {
        Check(stream, sequence, messageLength, offset, data.Length);
        (_frame, _dataStart) = PayloadSerializer.EncodeChunk(stream, sequence, messageLength, offset, data);
        (Stream, Sequence, MessageLength, Offset) = (stream, sequence, messageLength, offset);
    }

    /// <summary>A chunk read from its wire form; the payload stays in <paramref name="frame"/>.</summary>
    internal PayloadChunk(string stream, long sequence, int messageLength, int offset, byte[] frame, int dataStart)
    {
        Check(stream, sequence, messageLength, offset, frame.Length - dataStart);
        (_frame, _dataStart) = (frame, dataStart);
        (Stream, Sequence, MessageLength, Offset) = (stream, sequence, messageLength, offset);
    }

    public string Stream { get; }
    public long Sequence { get; }
    public int MessageLength { get; }
    public int Offset { get; }
    public ReadOnlyMemory<byte> Data => _frame.AsMemory(_dataStart);

    /// <summary>True for the chunk that ends its message.</summary>
    public bool IsLast => Offset + (_frame.Length - _dataStart) == MessageLength;

    /// <summary>The wire form; never modified after construction.</summary>
    internal byte[] Frame => _frame;

    public override string ToString() =>
        $"PayloadChunk({Stream} #{Sequence}, bytes {Offset}..{Offset + Data.Length} of {MessageLength})";

    private static void Check(string stream, long sequence, int messageLength, int offset, int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfNegative(messageLength);
        if (offset < 0 || length < 0 || length > messageLength - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"a chunk of {length} bytes at offset {offset} does not fit a message of {messageLength} bytes");
    }
}
