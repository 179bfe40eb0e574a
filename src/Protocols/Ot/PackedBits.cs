using System.Buffers.Binary;

namespace CoPriv.Protocols.Ot;

/// <summary>Random-access reads from a little-endian bit-packed buffer (the layout of <see cref="Channels.BitWriter"/>).</summary>
internal static class PackedBits
{
    public static ulong Read(ReadOnlySpan<byte> src, long bitOffset, int bits)
    {
        int byteIndex = (int)(bitOffset >> 3);
        int shift = (int)(bitOffset & 7);
        ulong v;
        if (byteIndex + 8 <= src.Length)
        {
            v = BinaryPrimitives.ReadUInt64LittleEndian(src[byteIndex..]) >> shift;
            if (shift + bits > 64) v |= (ulong)src[byteIndex + 8] << (64 - shift);
        }
        else
        {
            v = 0;
            for (int i = byteIndex; i < src.Length; i++) v |= (ulong)src[i] << (8 * (i - byteIndex));
            v >>= shift;
        }
        return bits == 64 ? v : v & ((1UL << bits) - 1);
    }

    public static ulong Mask(int bits) => bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
}
