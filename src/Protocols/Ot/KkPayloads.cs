using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// Turns Kolesnikov–Kumaresan rows (256 bits) into 1-out-of-N OT. The sender's pad for message x of OT i is
/// H₂₅₆(q_i ⊕ (C(x) ∧ s)), the receiver's is H₂₅₆(t_i), equal exactly for its choice; the other pads differ from it
/// in 128 bits of s (the code's distance). H₂₅₆(lo, hi) = H(H(lo, (i, K0)) ⊕ hi, (i, K1)) chains two calls of the
/// fixed-key hash so that the output depends on all 256 bits; K0, K1 have the top bit set, apart from every IKNP
/// counter.
/// </summary>
internal sealed class KkPayloads(CorrelationRobustHash hash)
{
    private const ulong FirstHalfCounter = 1UL << 63;
    private const ulong SecondHalfCounter = (1UL << 63) | 1;
    // Rows hashed per batch: enough to amortize the per-call cost, few enough that n pads per row stay in cache.
    private const int PadsPerBatch = 16 * 1024;

    private ulong[] _masks = [], _lo = [], _pads = [];

    /// <summary>
    /// Writes one OT's n messages masked by their pads, <paramref name="bits"/> each: message x takes the low word of
    /// the block pads[x·stride + i] (pads laid out message-major, <paramref name="stride"/> blocks per message).
    /// Small messages are gathered into whole words before they go to the writer.
    /// </summary>
    internal static void WriteMasked(ref BitWriter w, ReadOnlySpan<ulong> messages, ReadOnlySpan<ulong> pads, int stride,
        int i, int bits, ulong mask)
    {
        ulong word = 0;
        int wordBits = 0;
        for (int x = 0; x < messages.Length; x++)
        {
            if (wordBits + bits > 64)
            {
                w.Write(word, wordBits);
                word = 0;
                wordBits = 0;
            }
            word |= ((messages[x] ^ pads[2 * (stride * x + i)]) & mask) << wordBits;
            wordBits += bits;
        }
        w.Write(word, wordBits);
    }

    /// <summary>Reply: messages[i·n + x] ⊕ pad(i, x), bits each, packed OT-major.</summary>
    public void Reply(ReadOnlySpan<ulong> q, ReadOnlySpan<ulong> s, ulong firstIndex, ReadOnlySpan<ulong> messages,
        int n, int bits, int count, Span<byte> reply)
    {
        // C(x) ∧ s for every message index.
        var masks = Scratch.Ensure(ref _masks, 4 * n);
        for (int x = 0; x < n; x++)
        {
            var code = WalshHadamardCode.Codeword(x);
            for (int k = 0; k < 4; k++) masks[4 * x + k] = code[k] & s[k];
        }
        int rowsPerBatch = Math.Clamp(PadsPerBatch / n, 64, 1024);
        var lo = Scratch.Ensure(ref _lo, 2 * rowsPerBatch);
        var pads = Scratch.Ensure(ref _pads, 2 * rowsPerBatch * n);
        ulong mask = PackedBits.Mask(bits);
        var w = new BitWriter(reply);
        for (int start = 0; start < count; start += rowsPerBatch)
        {
            int rows = Math.Min(rowsPerBatch, count - start);
            for (int x = 0; x < n; x++)
            {
                ulong m0 = masks[4 * x], m1 = masks[4 * x + 1], m2 = masks[4 * x + 2], m3 = masks[4 * x + 3];
                var padX = pads.Slice(2 * rowsPerBatch * x, 2 * rows);
                for (int i = 0; i < rows; i++)
                {
                    int row = 4 * (start + i);
                    lo[2 * i] = q[row] ^ m0;
                    lo[2 * i + 1] = q[row + 1] ^ m1;
                }
                hash.Hash(lo[..(2 * rows)], firstIndex + (ulong)start, FirstHalfCounter, padX);
                for (int i = 0; i < rows; i++)
                {
                    int row = 4 * (start + i);
                    padX[2 * i] ^= q[row + 2] ^ m2;
                    padX[2 * i + 1] ^= q[row + 3] ^ m3;
                }
                hash.Hash(padX, firstIndex + (ulong)start, SecondHalfCounter, padX);
            }
            for (int i = 0; i < rows; i++)
                WriteMasked(ref w, messages.Slice((start + i) * n, n), pads, rowsPerBatch, i, bits, mask);
        }
        w.Flush();
    }

    public void Finish(ReadOnlySpan<ulong> t, ulong firstIndex, ReadOnlySpan<byte> choices, int n, int bits,
        ReadOnlySpan<byte> reply, Span<ulong> result)
    {
        int count = choices.Length;
        var lo = Scratch.Ensure(ref _lo, 2 * count);
        var pads = Scratch.Ensure(ref _pads, 2 * count);
        for (int i = 0; i < count; i++)
        {
            lo[2 * i] = t[4 * i];
            lo[2 * i + 1] = t[4 * i + 1];
        }
        hash.Hash(lo, firstIndex, FirstHalfCounter, pads);
        for (int i = 0; i < count; i++)
        {
            pads[2 * i] ^= t[4 * i + 2];
            pads[2 * i + 1] ^= t[4 * i + 3];
        }
        hash.Hash(pads, firstIndex, SecondHalfCounter, pads);
        for (int i = 0; i < count; i++)
        {
            ulong y = PackedBits.Read(reply, ((long)i * n + choices[i]) * bits, bits);
            result[i] = (y ^ pads[2 * i]) & PackedBits.Mask(bits);
        }
    }
}
