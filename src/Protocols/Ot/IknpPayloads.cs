using System.Runtime.CompilerServices;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// Turns IKNP rows into the OT flavours. The sender holds rows r0_i whose hash pads message 0 (r0_i ⊕ s pads
/// message 1); the receiver holds t_i = r0_i ⊕ c_i·s and can hash only the row of its choice c_i. Pads are
/// H(row, (index, counter)) with the instance-wide row index as tweak; values wider than one block use counters
/// 0, 1, …. Used both right after extension (r0 = q) and when derandomizing precomputed random COTs
/// (r0 = q ⊕ e·s). The receiver learns its chosen message and nothing about the other (its pad needs s).
/// </summary>
internal sealed class IknpPayloads(CorrelationRobustHash hash)
{
    /// <summary>
    /// The widest value the packed paths move with one unaligned 64-bit access: a field starting anywhere in a byte
    /// must end within the 8 bytes read or written (7 + 57 = 64). Wider values take the bit-by-bit path.
    /// </summary>
    private const int WordAccessMaxBits = 57;

    private ulong[] _pad0 = [], _pad1 = [], _flipped = [];
    private int[] _rowStarts = [];

    // ---- sender side ----

    /// <summary>Reply of chosen-message OT: (m0 ⊕ pad0, m1 ⊕ pad1) per OT, bits each, packed.</summary>
    public void ChosenReply(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> s, ulong firstIndex,
        ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits, Span<byte> reply)
    {
        int count = m0.Length;
        SenderPads(r0, s, firstIndex, count, out var p0, out var p1);
        var w = new BitWriter(reply);
        for (int i = 0; i < count; i++)
        {
            w.Write(m0[i] ^ p0[2 * i], bits);
            w.Write(m1[i] ^ p1[2 * i], bits);
        }
        w.Flush();
    }

    /// <summary>Reply of correlated OT: x0 = pad0, y = x0 + delta − pad1 (mod 2^bits), packed.</summary>
    public void CorrelatedReply(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> s, ulong firstIndex,
        ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0, Span<byte> reply)
    {
        int count = delta.Length;
        ulong mask = PackedBits.Mask(bits);
        SenderPads(r0, s, firstIndex, count, out var p0, out var p1);
        var w = new BitWriter(reply);
        for (int i = 0; i < count; i++)
        {
            ulong x = p0[2 * i] & mask;
            x0[i] = x;
            w.Write(x + delta[i] - p1[2 * i], bits);
        }
        w.Flush();
    }

    /// <summary>Random OT: both pads, reduced to bits.</summary>
    public void RandomPads(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> s, ulong firstIndex, int bits,
        Span<ulong> out0, Span<ulong> out1)
    {
        int count = out0.Length;
        ulong mask = PackedBits.Mask(bits);
        SenderPads(r0, s, firstIndex, count, out var p0, out var p1);
        for (int i = 0; i < count; i++)
        {
            out0[i] = p0[2 * i] & mask;
            out1[i] = p1[2 * i] & mask;
        }
    }

    /// <summary>Random OT with whole 128-bit pads (keys), blocks as ulong pairs.</summary>
    public void RandomKeys(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> s, ulong firstIndex, Span<ulong> keys0, Span<ulong> keys1)
    {
        SenderPads(r0, s, firstIndex, keys0.Length / 2, out var p0, out var p1);
        p0.CopyTo(keys0);
        p1.CopyTo(keys1);
    }

    /// <summary>
    /// Reply of the packed correlated OT: OT i carries valuesPerOt values of bitsPerOt[i] bits; pads are a bit stream
    /// of ⌈valuesPerOt·bits/128⌉ hash blocks per OT.
    /// </summary>
    public void PackedReply(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> s, ulong firstIndex, ReadOnlySpan<ulong> delta,
        int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> x0, Span<byte> reply)
    {
        int count = bitsPerOt.Length;
        var flipped = FlipRows(r0, s, count);
        var starts = RowStarts(valuesPerOt, bitsPerOt);
        var p0 = StreamPads(r0, firstIndex, starts, ref _pad0);
        var p1 = StreamPads(flipped, firstIndex, starts, ref _pad1);
        if (MaxBits(bitsPerOt) <= WordAccessMaxBits)
        {
            PackedReplyByWords(p0, p1, starts, delta, valuesPerOt, bitsPerOt, x0, reply);
            return;
        }
        var w = new BitWriter(reply);
        for (int i = 0; i < count; i++)
        {
            int bits = bitsPerOt[i];
            ulong mask = PackedBits.Mask(bits);
            for (int j = 0; j < valuesPerOt; j++)
            {
                int k = i * valuesPerOt + j;
                ulong x = StreamValue(p0, starts[i], j * bits, bits) & mask;
                x0[k] = x;
                w.Write(x + delta[k] - StreamValue(p1, starts[i], j * bits, bits), bits);
            }
        }
        w.Flush();
    }

    /// <summary>
    /// <see cref="PackedReply"/> for values of at most <see cref="WordAccessMaxBits"/> bits, the hot loop of every OT
    /// matrix product: every value is read from its OT's pad stream with one unaligned 64-bit load (the pads keep a
    /// spare block at the end), and the reply is packed in a register and stored a word at a time (storing each value
    /// into overlapping words would stall every store on the previous one). Same bits on the wire.
    /// </summary>
    private unsafe void PackedReplyByWords(ReadOnlySpan<ulong> p0, ReadOnlySpan<ulong> p1, ReadOnlySpan<int> starts,
        ReadOnlySpan<ulong> delta, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> x0, Span<byte> reply)
    {
        int count = bitsPerOt.Length;
        fixed (ulong* pad0 = p0, pad1 = p1, d = delta, x = x0)
        fixed (byte* dst = reply)
        {
            // A word is stored once 64 bits of reply are in it, so whole-word stores never pass the reply's end.
            byte* word = dst;
            ulong acc = 0;
            int filled = 0;
            long k = 0;
            for (int i = 0; i < count; i++)
            {
                int bits = bitsPerOt[i];
                ulong mask = (1UL << bits) - 1;
                byte* b0 = (byte*)(pad0 + 2L * starts[i]), b1 = (byte*)(pad1 + 2L * starts[i]);
                for (int j = 0, off = 0; j < valuesPerOt; j++, off += bits, k++)
                {
                    ulong value = (Unsafe.ReadUnaligned<ulong>(b0 + (off >> 3)) >> (off & 7)) & mask;
                    ulong pad = Unsafe.ReadUnaligned<ulong>(b1 + (off >> 3)) >> (off & 7);
                    x[k] = value;
                    ulong y = (value + d[k] - pad) & mask;
                    acc |= y << filled;
                    filled += bits;
                    if (filled >= 64)
                    {
                        Unsafe.WriteUnaligned(word, acc);
                        word += 8;
                        filled -= 64;
                        // The bits of y that did not fit (none when the word ended exactly at y's end).
                        acc = filled == 0 ? 0 : y >> (bits - filled);
                    }
                }
            }
            for (; filled > 0; filled -= 8, acc >>= 8) *word++ = (byte)acc;
        }
    }

    // ---- receiver side ----

    public void ChosenFinish(ReadOnlySpan<ulong> t, ulong firstIndex, ReadOnlySpan<byte> choices, int bits,
        ReadOnlySpan<byte> reply, Span<ulong> result)
    {
        int count = choices.Length;
        ulong mask = PackedBits.Mask(bits);
        var pad = ReceiverPads(t, firstIndex, count);
        var r = new BitReader(reply);
        for (int i = 0; i < count; i++)
        {
            ulong y0 = r.Read(bits), y1 = r.Read(bits);
            result[i] = ((choices[i] != 0 ? y1 : y0) ^ pad[2 * i]) & mask;
        }
    }

    public void CorrelatedFinish(ReadOnlySpan<ulong> t, ulong firstIndex, ReadOnlySpan<byte> choices, int bits,
        ReadOnlySpan<byte> reply, Span<ulong> result)
    {
        int count = choices.Length;
        ulong mask = PackedBits.Mask(bits);
        var pad = ReceiverPads(t, firstIndex, count);
        var r = new BitReader(reply);
        for (int i = 0; i < count; i++)
        {
            ulong y = r.Read(bits) & (0UL - choices[i]);
            result[i] = (pad[2 * i] + y) & mask;
        }
    }

    public void RandomFinish(ReadOnlySpan<ulong> t, ulong firstIndex, int bits, Span<ulong> result)
    {
        ulong mask = PackedBits.Mask(bits);
        var pad = ReceiverPads(t, firstIndex, result.Length);
        for (int i = 0; i < result.Length; i++) result[i] = pad[2 * i] & mask;
    }

    /// <summary>Mirror of <see cref="RandomKeys"/>: the 128-bit pad of each row.</summary>
    public void RandomKeyFinish(ReadOnlySpan<ulong> t, ulong firstIndex, Span<ulong> keys) =>
        ReceiverPads(t, firstIndex, keys.Length / 2).CopyTo(keys);

    public void PackedFinish(ReadOnlySpan<ulong> t, ulong firstIndex, ReadOnlySpan<byte> choices, int valuesPerOt,
        ReadOnlySpan<int> bitsPerOt, ReadOnlySpan<byte> reply, Span<ulong> result)
    {
        int count = bitsPerOt.Length;
        var starts = RowStarts(valuesPerOt, bitsPerOt);
        var pad = StreamPads(t, firstIndex, starts, ref _pad0);
        if (MaxBits(bitsPerOt) <= WordAccessMaxBits)
        {
            PackedFinishByWords(pad, starts, choices, valuesPerOt, bitsPerOt, reply, result);
            return;
        }
        var r = new BitReader(reply);
        for (int i = 0; i < count; i++)
        {
            int bits = bitsPerOt[i];
            ulong mask = PackedBits.Mask(bits);
            ulong take = 0UL - choices[i];
            for (int j = 0; j < valuesPerOt; j++)
            {
                ulong y = r.Read(bits) & take;
                result[i * valuesPerOt + j] = (StreamValue(pad, starts[i], j * bits, bits) + y) & mask;
            }
        }
    }

    /// <summary>
    /// <see cref="PackedFinish"/> for values of at most <see cref="WordAccessMaxBits"/> bits, with the word access of
    /// <see cref="PackedReplyByWords"/>: the bits above a value are dropped by the final mask (addition carries only
    /// upwards), so neither the pad nor the reply value needs masking first.
    /// </summary>
    private unsafe void PackedFinishByWords(ReadOnlySpan<ulong> pads, ReadOnlySpan<int> starts, ReadOnlySpan<byte> choices,
        int valuesPerOt, ReadOnlySpan<int> bitsPerOt, ReadOnlySpan<byte> reply, Span<ulong> result)
    {
        int count = bitsPerOt.Length;
        // Values starting before this bit can be read with one 64-bit load inside the reply; the last few cannot.
        long wordSafeEnd = 8L * (reply.Length - 8);
        fixed (ulong* pad = pads, res = result)
        fixed (byte* src = reply)
        {
            long pos = 0, k = 0;
            for (int i = 0; i < count; i++)
            {
                int bits = bitsPerOt[i];
                ulong mask = (1UL << bits) - 1, take = 0UL - choices[i];
                byte* b = (byte*)(pad + 2L * starts[i]);
                for (int j = 0, off = 0; j < valuesPerOt; j++, off += bits, pos += bits, k++)
                {
                    ulong y = pos < wordSafeEnd
                        ? Unsafe.ReadUnaligned<ulong>(src + (pos >> 3)) >> (int)(pos & 7)
                        : PackedBits.Read(reply, pos, bits);
                    res[k] = ((Unsafe.ReadUnaligned<ulong>(b + (off >> 3)) >> (off & 7)) + (y & take)) & mask;
                }
            }
        }
    }

    private static int MaxBits(ReadOnlySpan<int> bitsPerOt)
    {
        int max = 0;
        foreach (int b in bitsPerOt) max = Math.Max(max, b);
        return max;
    }

    /// <summary>Reply bits of the packed correlated OT for one chunk.</summary>
    public static long PackedReplyBits(int valuesPerOt, ReadOnlySpan<int> bitsPerOt)
    {
        long total = 0;
        foreach (int b in bitsPerOt) total += b;
        return total * valuesPerOt;
    }

    // ---- pads ----

    private void SenderPads(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> s, ulong firstIndex, int count,
        out Span<ulong> p0, out Span<ulong> p1)
    {
        p0 = Scratch.Ensure(ref _pad0, 2 * count);
        p1 = Scratch.Ensure(ref _pad1, 2 * count);
        hash.Hash(r0[..(2 * count)], firstIndex, 0, p0);
        hash.Hash(FlipRows(r0, s, count), firstIndex, 0, p1);
    }

    private Span<ulong> ReceiverPads(ReadOnlySpan<ulong> t, ulong firstIndex, int count)
    {
        var p = Scratch.Ensure(ref _pad0, 2 * count);
        hash.Hash(t[..(2 * count)], firstIndex, 0, p);
        return p;
    }

    private Span<ulong> FlipRows(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> s, int count)
    {
        var flipped = Scratch.Ensure(ref _flipped, 2 * count);
        ulong s0 = s[0], s1 = s[1];
        for (int i = 0; i < 2 * count; i += 2)
        {
            flipped[i] = r0[i] ^ s0;
            flipped[i + 1] = r0[i + 1] ^ s1;
        }
        return flipped;
    }

    /// <summary>
    /// Where each OT's pad stream starts, in blocks, in the row-major pads of a chunk (⌈valuesPerOt·bits/128⌉ blocks per
    /// OT), and the total at the end.
    /// </summary>
    private ReadOnlySpan<int> RowStarts(int valuesPerOt, ReadOnlySpan<int> bitsPerOt)
    {
        var starts = Scratch.Ensure(ref _rowStarts, bitsPerOt.Length + 1);
        int total = 0;
        for (int i = 0; i < bitsPerOt.Length; i++)
        {
            starts[i] = total;
            total += BlocksFor(valuesPerOt * bitsPerOt[i]);
        }
        starts[^1] = total;
        return starts;
    }

    /// <summary>
    /// Pad streams of several blocks per row: block c of row i is H(row_i, (firstIndex + i, c)), stored row after row
    /// from block <paramref name="starts"/>[i], plus one spare block so that a word read at the end of the last
    /// stream stays inside the buffer.
    /// </summary>
    private Span<ulong> StreamPads(ReadOnlySpan<ulong> rows, ulong firstIndex, ReadOnlySpan<int> starts, ref ulong[] buffer)
    {
        var pads = Scratch.Ensure(ref buffer, 2 * (starts[^1] + 1));
        hash.HashStreams(rows, firstIndex, starts, pads);
        return pads;
    }

    private static int BlocksFor(int bits) => (bits + 127) / 128;

    private static ulong StreamValue(ReadOnlySpan<ulong> pads, int startBlock, int bitOffset, int bits)
    {
        int word = 2 * startBlock + (bitOffset >> 6), shift = bitOffset & 63;
        ulong v = pads[word] >> shift;
        if (shift + bits > 64) v |= pads[word + 1] << (64 - shift);
        return v;
    }
}
