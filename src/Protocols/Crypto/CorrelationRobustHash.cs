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
    /// rowStarts[i + 1] − rowStarts[i] is its block count. One pass with the AES pipeline full, however the block
    /// counts vary from row to row.
    /// </summary>
    public void HashStreams(ReadOnlySpan<ulong> rows, ulong firstIndex, ReadOnlySpan<int> rowStarts, Span<ulong> dst)
    {
        int count = rowStarts.Length - 1;
        if (count < 0 || rows.Length < 2 * count || dst.Length < 2L * rowStarts[count])
            throw new ArgumentException("pad streams need a row per stream and room for every block");
        const int Batch = 1024;
        var sigma = _scratch.AsSpan(0, 2 * Batch);
        int row = 0, c = 0, block = 0, total = rowStarts[count];
        while (block < total)
        {
            int n = Math.Min(Batch, total - block);
            var outp = dst.Slice(2 * block, 2 * n);
            for (int b = 0; b < n; b++)
            {
                while (c == rowStarts[row + 1] - rowStarts[row])
                {
                    row++;
                    c = 0;
                }
                ulong lo = rows[2 * row], hi = rows[2 * row + 1];
                sigma[2 * b] = hi;
                sigma[2 * b + 1] = lo ^ hi;
                outp[2 * b] = hi ^ (firstIndex + (ulong)row);
                outp[2 * b + 1] = lo ^ hi ^ (ulong)c;
                c++;
            }
            _aes.EncryptBlocks(outp, outp);
            Xor(outp, sigma[..(2 * n)]);
            block += n;
        }
    }

    /// <summary>One block: H(x, (index, counter)).</summary>
    public Vector128<ulong> Hash(Vector128<ulong> x, ulong index, ulong counter)
    {
        ulong lo = x.GetElement(0), hi = x.GetElement(1);
        var sigma = Vector128.Create(hi, lo ^ hi);
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
