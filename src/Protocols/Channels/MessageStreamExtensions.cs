using System.Buffers;
using System.Runtime.InteropServices;

namespace CoPriv.Protocols.Channels;

/// <summary>Typed sends and receives over a message stream; each call is one message.</summary>
public static class MessageStreamExtensions
{
    public static void SendUInt64s(this IMessageStream s, ReadOnlySpan<ulong> values) =>
        s.Send(MemoryMarshal.AsBytes(values));

    public static void ReceiveUInt64s(this IMessageStream s, Span<ulong> values) =>
        s.Receive(MemoryMarshal.AsBytes(values));

    /// <summary>Sends values of <paramref name="bits"/> bits each, packed: ⌈n·bits/8⌉ bytes.</summary>
    public static void SendPacked(this IMessageStream s, ReadOnlySpan<ulong> values, int bits)
    {
        int n = BitPacking.PackedBytes(values.Length, bits);
        var buf = ArrayPool<byte>.Shared.Rent(n + 8);
        try
        {
            BitPacking.Pack(values, bits, buf.AsSpan(0, n + 8));
            s.Send(buf.AsSpan(0, n));
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    public static void ReceivePacked(this IMessageStream s, Span<ulong> values, int bits)
    {
        int n = BitPacking.PackedBytes(values.Length, bits);
        var buf = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            s.Receive(buf.AsSpan(0, n));
            BitPacking.Unpack(buf.AsSpan(0, n), bits, values);
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    /// <summary>Sends 0/1 bytes packed eight to a byte.</summary>
    public static void SendBits(this IMessageStream s, ReadOnlySpan<byte> bits)
    {
        int n = (bits.Length + 7) / 8;
        var buf = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            BitPacking.PackBits(bits, buf);
            s.Send(buf.AsSpan(0, n));
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    public static void ReceiveBits(this IMessageStream s, Span<byte> bits)
    {
        int n = (bits.Length + 7) / 8;
        var buf = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            s.Receive(buf.AsSpan(0, n));
            BitPacking.UnpackBits(buf.AsSpan(0, n), bits);
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }
}
