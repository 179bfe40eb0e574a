using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace CoPriv.Protocols.Channels;

/// <summary>
/// Packs values of a given bit width back to back (little-endian bit order) so that a message carries exactly the
/// bits the protocol needs, rounded up to a whole byte once per message.
/// </summary>
public static class BitPacking
{
    /// <summary>Bytes needed for <paramref name="count"/> values of <paramref name="bits"/> bits each.</summary>
    public static int PackedBytes(long count, int bits) => checked((int)((count * bits + 7) / 8));

    public static void Pack(ReadOnlySpan<ulong> values, int bits, Span<byte> dst)
    {
        var w = new BitWriter(dst);
        for (int i = 0; i < values.Length; i++) w.Write(values[i], bits);
        w.Flush();
    }

    public static void Unpack(ReadOnlySpan<byte> src, int bits, Span<ulong> values)
    {
        var r = new BitReader(src);
        for (int i = 0; i < values.Length; i++) values[i] = r.Read(bits);
    }

    /// <summary>Packs 0/1 bytes eight to a byte.</summary>
    public static void PackBits(ReadOnlySpan<byte> bits, Span<byte> dst)
    {
        dst[..((bits.Length + 7) / 8)].Clear();
        for (int i = 0; i < bits.Length; i++) dst[i >> 3] |= (byte)((bits[i] & 1) << (i & 7));
    }

    public static void UnpackBits(ReadOnlySpan<byte> src, Span<byte> bits)
    {
        for (int i = 0; i < bits.Length; i++) bits[i] = (byte)((src[i >> 3] >> (i & 7)) & 1);
    }
}

/// <summary>Appends values of any width 1..64 to a byte buffer, least significant bit first.</summary>
public ref struct BitWriter
{
    private readonly Span<byte> _dst;
    private ulong _acc;
    private int _accBits;
    private int _pos;

    public BitWriter(Span<byte> dst)
    {
        _dst = dst;
        _acc = 0;
        _accBits = 0;
        _pos = 0;
    }

    /// <summary>Bits written so far.</summary>
    public long BitsWritten => (long)_pos * 8 + _accBits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ulong value, int bits)
    {
        if (bits < 64) value &= (1UL << bits) - 1;
        _acc |= value << _accBits;
        int total = _accBits + bits;
        if (total >= 64)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_dst.Slice(_pos, 8), _acc);
            _pos += 8;
            _acc = _accBits == 0 ? 0 : value >> (64 - _accBits);
            _accBits = total - 64;
        }
        else
        {
            _accBits = total;
        }
    }

    /// <summary>Pads to a whole byte (used where a format rounds each item up to bytes).</summary>
    public void AlignToByte()
    {
        int pad = (8 - (_accBits & 7)) & 7;
        if (pad > 0) Write(0, pad);
    }

    /// <summary>Writes the remaining partial word.</summary>
    public void Flush()
    {
        int bytes = (_accBits + 7) / 8;
        for (int i = 0; i < bytes; i++) _dst[_pos + i] = (byte)(_acc >> (8 * i));
        _pos += bytes;
        _acc = 0;
        _accBits = 0;
    }
}

/// <summary>Reads values written by <see cref="BitWriter"/>.</summary>
public ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _src;
    private long _bitPos;

    public BitReader(ReadOnlySpan<byte> src)
    {
        _src = src;
        _bitPos = 0;
    }

    public long BitsRead => _bitPos;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(int bits)
    {
        int byteIndex = (int)(_bitPos >> 3);
        int shift = (int)(_bitPos & 7);
        _bitPos += bits;
        ulong lo;
        if (byteIndex + 8 <= _src.Length)
            lo = BinaryPrimitives.ReadUInt64LittleEndian(_src.Slice(byteIndex, 8));
        else
            lo = ReadPartial(byteIndex, 8);
        ulong v = lo >> shift;
        if (shift + bits > 64)
        {
            ulong next = byteIndex + 8 < _src.Length ? _src[byteIndex + 8] : 0UL;
            v |= next << (64 - shift);
        }
        return bits == 64 ? v : v & ((1UL << bits) - 1);
    }

    public void AlignToByte() => _bitPos = (_bitPos + 7) & ~7L;

    private ulong ReadPartial(int byteIndex, int count)
    {
        ulong v = 0;
        for (int i = 0; i < count && byteIndex + i < _src.Length; i++) v |= (ulong)_src[byteIndex + i] << (8 * i);
        return v;
    }
}
