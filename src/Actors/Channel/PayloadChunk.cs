namespace CoPriv.Actors.Channel;

/// <summary>
/// One piece (at most the channel's chunk size) of a protocol message on one named stream, sent by the protocol
/// thread of one party straight to the peer's session actor. <see cref="Offset"/> and <see cref="MessageLength"/>
/// let the receiver reassemble the whole message; <see cref="Sequence"/> numbers the chunks of a stream in one
/// direction so that a lost or reordered chunk is detected instead of corrupting a message.
/// Serialized by <see cref="Serialization.PayloadSerializer"/>, which writes <see cref="Data"/> as raw bytes.
/// </summary>
public sealed class PayloadChunk
{
    public PayloadChunk(string stream, long sequence, int messageLength, int offset, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfNegative(messageLength);
        if (offset < 0 || data.Length > messageLength - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"a chunk of {data.Length} bytes at offset {offset} does not fit a message of {messageLength} bytes");
        Stream = stream;
        Sequence = sequence;
        MessageLength = messageLength;
        Offset = offset;
        Data = data;
    }

    public string Stream { get; }
    public long Sequence { get; }
    public int MessageLength { get; }
    public int Offset { get; }
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>True for the chunk that ends its message.</summary>
    public bool IsLast => Offset + Data.Length == MessageLength;

    public override string ToString() =>
        $"PayloadChunk({Stream} #{Sequence}, bytes {Offset}..{Offset + Data.Length} of {MessageLength})";
}
