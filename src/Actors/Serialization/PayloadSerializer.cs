using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using CoPriv.Actors.Channel;

namespace CoPriv.Actors.Serialization;

/// <summary>
/// Akka serializer for the channel's flow messages (<see cref="PayloadChunk"/>, <see cref="PayloadCredit"/>): a small
/// fixed header followed by the chunk's bytes as they are. A chunk is created in this form, so serializing it returns
/// its bytes as they are and deserializing wraps the array without copying the payload.
/// Bound by HOCON (<c>akka.actor.serialization-bindings</c>); the layout is ours alone, little-endian:
/// <code>
/// chunk:  0x01 | u16 name length | name (UTF-8) | i64 sequence | i32 message length | i32 offset | payload
/// credit: 0x02 | u16 name length | name (UTF-8) | i32 bytes
/// </code>
/// </summary>
public sealed class PayloadSerializer(ExtendedActorSystem system) : Akka.Serialization.Serializer(system)
{
    /// <summary>Our registered serializer id (Akka reserves 0–100 for its own).</summary>
    public const int Id = 4101;

    private const byte ChunkKind = 1, CreditKind = 2;

    public override int Identifier => Id;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        switch (obj)
        {
            case PayloadChunk chunk:
                return chunk.Frame;
            case PayloadCredit credit:
            {
                int nameBytes = Encoding.UTF8.GetByteCount(credit.Stream);
                var bytes = new byte[3 + nameBytes + 4];
                int at = WriteName(bytes, CreditKind, credit.Stream, nameBytes);
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), credit.Bytes);
                return bytes;
            }
            default:
                throw new ArgumentException($"{nameof(PayloadSerializer)} cannot serialize {obj?.GetType().FullName ?? "null"}", nameof(obj));
        }
    }

    /// <summary>
    /// A chunk keeps <paramref name="bytes"/> as its wire form instead of copying the payload out; Akka hands every
    /// deserializer an array of its own.
    /// </summary>
    public override object FromBinary(byte[] bytes, Type type)
    {
        if (bytes.Length < 3) throw new System.Runtime.Serialization.SerializationException($"payload message of {bytes.Length} bytes is too short");
        int nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(1));
        if (bytes.Length < 3 + nameBytes) throw new System.Runtime.Serialization.SerializationException("payload message shorter than its stream name");
        string stream = Encoding.UTF8.GetString(bytes, 3, nameBytes);
        int at = 3 + nameBytes;
        switch (bytes[0])
        {
            case ChunkKind when bytes.Length >= at + 16:
                return new PayloadChunk(stream,
                    BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at)),
                    BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 8)),
                    BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 12)),
                    bytes, at + 16);
            case CreditKind when bytes.Length == at + 4:
                return new PayloadCredit(stream, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)));
            default:
                throw new System.Runtime.Serialization.SerializationException($"malformed payload message (kind {bytes[0]}, {bytes.Length} bytes)");
        }
    }

    /// <summary>The wire form of a chunk and where its payload starts in it.</summary>
    internal static (byte[] Frame, int DataStart) EncodeChunk(string stream, long sequence, int messageLength, int offset, ReadOnlySpan<byte> data)
    {
        int nameBytes = Encoding.UTF8.GetByteCount(stream);
        var frame = new byte[HeaderLength(nameBytes) + data.Length];
        int at = WriteName(frame, ChunkKind, stream, nameBytes);
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(at), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(at + 8), messageLength);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(at + 12), offset);
        data.CopyTo(frame.AsSpan(at + 16));
        return (frame, at + 16);
    }

    /// <summary>Bytes a chunk message takes besides its payload, for a stream name of this many UTF-8 bytes.</summary>
    public static int HeaderLength(int streamNameBytes) => 3 + streamNameBytes + 16;

    private static int WriteName(byte[] bytes, byte kind, string name, int nameBytes)
    {
        if (nameBytes > ushort.MaxValue) throw new ArgumentException($"stream name of {nameBytes} bytes is too long");
        bytes[0] = kind;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(1), (ushort)nameBytes);
        Encoding.UTF8.GetBytes(name, bytes.AsSpan(3));
        return 3 + nameBytes;
    }
}
