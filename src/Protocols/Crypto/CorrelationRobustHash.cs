using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CoPriv.Protocols.Crypto;

/// <summary>
/// The fixed-key correlation-robust hash of OT extension: H(x, t) = π(σ(x) ⊕ t) ⊕ σ(x), where π is AES-128 under a
/// public key, σ(xL, xH) = (xH, xL ⊕ xH) is a linear orthomorphism and t the tweak (OT index, block counter).
/// Both parties hash their own rows; nothing is learnt from it beyond what the OT reveals.
/// </summary>
public sealed class CorrelationRobustHash
{
    private static readonly byte[] FixedKey =
        [0x43, 0x6f, 0x50, 0x72, 0x69, 0x76, 0x2d, 0x43, 0x52, 0x48, 0x2d, 0x66, 0x69, 0x78, 0x65, 0x64];

    private readonly Aes128 _aes = new(FixedKey);
    private ulong[] _scratch = new ulong[2 * 1024];

    /// <summary>
    /// dst block i = H(x block i, tweak (firstIndex + i, counter)). Blocks are pairs of ulongs (low, high).
    /// x and dst may be the same memory.
    /// </summary>
    public void Hash(ReadOnlySpan<ulong> x, ulong firstIndex, ulong counter, Span<ulong> dst)
    {
        int blocks = x.Length / 2;
        if (x.Length % 2 != 0 || dst.Length < x.Length)
            throw new ArgumentException("hash input must be whole 128-bit blocks and fit the output");
        for (int start = 0; start < blocks; start += 1024)
        {
            int n = Math.Min(1024, blocks - start);
            var sigma = _scratch.AsSpan(0, 2 * n);
            var src = x.Slice(2 * start, 2 * n);
            for (int i = 0; i < n; i++)
            {
                ulong lo = src[2 * i], hi = src[2 * i + 1];
                ulong sLo = hi, sHi = lo ^ hi;
                sigma[2 * i] = sLo;
                sigma[2 * i + 1] = sHi;
            }
            var outp = dst.Slice(2 * start, 2 * n);
            // π(σ ⊕ t) computed in the output buffer, then ⊕ σ.
            for (int i = 0; i < n; i++)
            {
                outp[2 * i] = sigma[2 * i] ^ (firstIndex + (ulong)(start + i));
                outp[2 * i + 1] = sigma[2 * i + 1] ^ counter;
            }
            _aes.EncryptBlocks(outp, outp);
            Xor(outp, sigma);
        }
    }

    /// <summary>
    /// Pad streams: for every row i (a block of <paramref name="rows"/>) the blocks H(row i, (firstIndex + i, c)) for
    /// c = 0 .. blocks(i) − 1, written row after row: row i's stream starts at block rowStarts[i], and
    /// rowStarts[i + 1] − rowStarts[i] is its block count. σ(row i) is computed once per row and all blocks go through
    /// AES in one pipelined pass, however the block counts vary from row to row.
    /// </summary>
    public void HashStreams(ReadOnlySpan<ulong> rows, ulong firstIndex, ReadOnlySpan<int> rowStarts, Span<ulong> dst)
    {
        int count = rowStarts.Length - 1;
        if (count < 0 || rows.Length < 2 * count || dst.Length < 2L * rowStarts[count])
            throw new ArgumentException("pad streams need a row per stream and room for every block");
        var input = MemoryMarshal.Cast<ulong, Vector128<ulong>>(rows[..(2 * count)]);
        var blocks = MemoryMarshal.Cast<ulong, Vector128<ulong>>(dst[..(2 * rowStarts[count])]);
        for (int i = 0; i < count; i++)
        {
            var tweaked = Sigma(input[i]) ^ Vector128.Create(firstIndex + (ulong)i, 0UL);
            for (int b = rowStarts[i], c = 0; b < rowStarts[i + 1]; b++, c++) blocks[b] = tweaked ^ Vector128.Create(0UL, (ulong)c);
        }
        _aes.EncryptBlocks(MemoryMarshal.Cast<Vector128<ulong>, ulong>(blocks), MemoryMarshal.Cast<Vector128<ulong>, ulong>(blocks));
        for (int i = 0; i < count; i++)
        {
            var sigma = Sigma(input[i]);
            for (int b = rowStarts[i]; b < rowStarts[i + 1]; b++) blocks[b] ^= sigma;
        }
    }

    /// <summary>σ(lo, hi) = (hi, lo ⊕ hi).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Sigma(Vector128<ulong> x) =>
        Vector128.Shuffle(x, Vector128.Create(1UL, 0UL)) ^ (x & Vector128.Create(0UL, ulong.MaxValue));

    /// <summary>One block: H(x, (index, counter)).</summary>
    public Vector128<ulong> Hash(Vector128<ulong> x, ulong index, ulong counter)
    {
        var sigma = Sigma(x);
        var e = _aes.EncryptBlock((sigma ^ Vector128.Create(index, counter)).AsByte()).AsUInt64();
        return e ^ sigma;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Xor(Span<ulong> dst, ReadOnlySpan<ulong> src)
    {
        var vd = MemoryMarshal.Cast<ulong, Vector128<ulong>>(dst);
        var vs = MemoryMarshal.Cast<ulong, Vector128<ulong>>(src);
        for (int i = 0; i < vs.Length; i++) vd[i] ^= vs[i];
    }
}
