using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// 1-out-of-N OT from m = ⌈log₂ N⌉ two-message COTs per OT, for a backend whose COTs cost about a bit each (Ferret),
/// where a Kolesnikov–Kumaresan row (256 bits) would cost far more than the m bits that fix the COTs' choices.
/// The receiver of OT i chooses with the bits x_0 … x_{m−1} of its digit x, so it holds t_j = q_j ⊕ x_j·Δ. The pad of
/// message v is a chain of the hash over the m COTs: h_0 = 0, h_{j+1} = H(h_j ⊕ q_j ⊕ v_j·Δ, (index of COT j,
/// <see cref="Counter"/>)), pad(v) = h_m. The receiver computes the chain of its own x from its t_j (m hashes); for any
/// v ≠ x the chain passes through q_j ⊕ (1 − x_j)·Δ at the lowest bit where they differ, which it cannot compute
/// without Δ, so every later link — and the pad — looks random to it. The sender computes all N chains as a tree
/// (2^{m+1} − 2 hashes per OT, shared prefixes hashed once) and learns nothing: it only sees the m flip bits of
/// uniform random COTs. Within a chunk of c OTs the COTs are laid out bit-major (COT j·c + i is bit j of OT i), so
/// that each level hashes consecutive tweak indices in one pass.
/// </summary>
internal sealed class CotOneOfNPayloads(CorrelationRobustHash hash)
{
    /// <summary>The hash's counter for these chains, apart from IKNP's small counters, KK's and Ferret's.</summary>
    public const ulong Counter = 0x436F_744E_0000_0000UL;

    // Pads computed per pass: enough OTs to amortize the hash calls, few enough that the tree stays in cache.
    private const int TreeBlocks = 16 * 1024;

    private ulong[] _tree = [], _next = [], _chain = [];
    private byte[] _choiceBits = [];

    /// <summary>The COTs' choice bits of a chunk, bit-major: bit j of digit i at j·c + i (valid until the next call).</summary>
    public ReadOnlySpan<byte> ChoiceBits(ReadOnlySpan<byte> digits, int digitBits)
    {
        int count = digits.Length;
        var bits = Scratch.Ensure(ref _choiceBits, count * digitBits);
        for (int j = 0; j < digitBits; j++)
        {
            var level = bits.Slice(j * count, count);
            for (int i = 0; i < count; i++) level[i] = (byte)((digits[i] >> j) & 1);
        }
        return bits;
    }

    /// <summary>
    /// Sender's reply to a chunk of <paramref name="count"/> OTs: messages[i·n + v] ⊕ pad(i, v), <paramref name="bits"/>
    /// each, packed OT-major. <paramref name="q"/> holds the chunk's m·count sender rows (pairs of ulongs), bit-major;
    /// <paramref name="firstIndex"/> is the instance-wide index of the first.
    /// </summary>
    public void Reply(ReadOnlySpan<ulong> q, ReadOnlySpan<ulong> delta, ulong firstIndex, ReadOnlySpan<ulong> messages,
        int n, int bits, int count, Span<byte> reply)
    {
        int m = OtArguments.DigitBits(n);
        int leaves = 1 << m;
        int batch = Math.Clamp(TreeBlocks / leaves, 16, 1024);
        ulong d0 = delta[0], d1 = delta[1];
        ulong mask = PackedBits.Mask(bits);
        var w = new BitWriter(reply);
        for (int start = 0; start < count; start += batch)
        {
            int rows = Math.Min(batch, count - start);
            // tree[v·2·rows + 2i ..]: the chain value of prefix v for OT start + i.
            var tree = Scratch.Ensure(ref _tree, 2 * rows * leaves);
            var next = Scratch.Ensure(ref _next, 2 * rows * leaves);
            tree[..(2 * rows)].Clear();
            for (int j = 0; j < m; j++)
            {
                var level = q.Slice(2 * (j * count + start), 2 * rows);
                ulong index = firstIndex + (ulong)(j * count + start);
                int prefixes = 1 << j;
                for (int v = 0; v < prefixes; v++)
                {
                    var from = tree.Slice(2 * rows * v, 2 * rows);
                    var zero = next.Slice(2 * rows * v, 2 * rows);
                    var one = next.Slice(2 * rows * (v + prefixes), 2 * rows);
                    for (int k = 0; k < 2 * rows; k += 2)
                    {
                        zero[k] = from[k] ^ level[k];
                        zero[k + 1] = from[k + 1] ^ level[k + 1];
                        one[k] = zero[k] ^ d0;
                        one[k + 1] = zero[k + 1] ^ d1;
                    }
                    hash.Hash(zero, index, Counter, zero);
                    hash.Hash(one, index, Counter, one);
                }
                (_tree, _next) = (_next, _tree);
                tree = _tree.AsSpan(0, 2 * rows * leaves);
                next = _next.AsSpan(0, 2 * rows * leaves);
            }
            for (int i = 0; i < rows; i++)
                KkPayloads.WriteMasked(ref w, messages.Slice((start + i) * n, n), tree, rows, i, bits, mask);
        }
        w.Flush();
    }

    /// <summary>
    /// Receiver's results for a chunk: for OT i, message digits[i] of the reply, from its rows t (bit-major, as
    /// <see cref="Reply"/>'s q).
    /// </summary>
    public void Finish(ReadOnlySpan<ulong> t, ulong firstIndex, ReadOnlySpan<byte> digits, int n, int bits,
        ReadOnlySpan<byte> reply, Span<ulong> result)
    {
        int m = OtArguments.DigitBits(n);
        int count = digits.Length;
        var h = Scratch.Ensure(ref _chain, 2 * count);
        h.Clear();
        for (int j = 0; j < m; j++)
        {
            var level = t.Slice(2 * j * count, 2 * count);
            for (int k = 0; k < 2 * count; k++) h[k] ^= level[k];
            hash.Hash(h, firstIndex + (ulong)(j * count), Counter, h);
        }
        ulong mask = PackedBits.Mask(bits);
        for (int i = 0; i < count; i++)
            result[i] = (PackedBits.Read(reply, ((long)i * n + digits[i]) * bits, bits) ^ h[2 * i]) & mask;
    }
}
