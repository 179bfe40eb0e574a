using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// The bit-matrix transpose at the heart of OT extension: the extension matrix is generated column by column (one
/// column per base OT, from that OT's PRG) but used row by row (one row per extended OT). Columns are stored
/// column-major, rows/64 ulongs each; rows come out as width/64 ulongs each (bit j of row i = bit i of column j).
/// Works on 64×64 blocks with Eklundh's recursive swaps, four or eight blocks side by side in a vector register when
/// the hardware has one.
/// </summary>
internal static class BitMatrixTranspose
{
    /// <summary>Row counts must be a multiple of this (eight 64-row blocks, the widest vector path).</summary>
    public const int RowAlignment = 512;

    public static void ColumnsToRows(ReadOnlySpan<ulong> columns, int width, int rows, Span<ulong> rowsOut)
    {
        if (width % 64 != 0 || rows % RowAlignment != 0)
            throw new ArgumentException($"transpose needs width a multiple of 64 and rows a multiple of {RowAlignment} (width {width}, rows {rows})");
        int wordsPerColumn = rows / 64;
        int rowWords = width / 64;
        if (columns.Length < width * wordsPerColumn || rowsOut.Length < rows * rowWords)
            throw new ArgumentException("transpose buffers are too small for the matrix");
        bool portable = PortableCodePaths.Forced;
        if (Vector512.IsHardwareAccelerated && !portable)
            Transpose512(columns, rowWords, wordsPerColumn, rowsOut);
        else if (Vector256.IsHardwareAccelerated && !portable)
            Transpose256(columns, rowWords, wordsPerColumn, rowsOut);
        else
            TransposeScalar(columns, rowWords, wordsPerColumn, rowsOut);
    }

    private static void Transpose512(ReadOnlySpan<ulong> columns, int rowWords, int wordsPerColumn, Span<ulong> rowsOut)
    {
        Span<Vector512<ulong>> block = stackalloc Vector512<ulong>[64];
        ref ulong src = ref MemoryMarshal.GetReference(columns);
        ref ulong dst = ref MemoryMarshal.GetReference(rowsOut);
        ref Vector512<ulong> v = ref MemoryMarshal.GetReference(block);
        for (int g = 0; g < rowWords; g++)
        {
            for (int w = 0; w < wordsPerColumn; w += 8)
            {
                // Lane t of vector k holds word w + t of column 64g + k: eight independent 64×64 blocks.
                nuint first = (nuint)(64 * g * wordsPerColumn + w);
                for (int k = 0; k < 64; k++)
                    Unsafe.Add(ref v, k) = Vector512.LoadUnsafe(ref src, first + (nuint)(k * wordsPerColumn));
                Swaps512(ref v);
                for (int r = 0; r < 64; r++)
                {
                    var x = Unsafe.Add(ref v, r);
                    nint row = 64 * w + r;
                    for (int t = 0; t < 8; t++)
                        Unsafe.Add(ref dst, (row + 64 * t) * rowWords + g) = x.GetElement(t);
                }
            }
        }
    }

    private static void Transpose256(ReadOnlySpan<ulong> columns, int rowWords, int wordsPerColumn, Span<ulong> rowsOut)
    {
        Span<Vector256<ulong>> block = stackalloc Vector256<ulong>[64];
        ref ulong src = ref MemoryMarshal.GetReference(columns);
        ref ulong dst = ref MemoryMarshal.GetReference(rowsOut);
        ref Vector256<ulong> v = ref MemoryMarshal.GetReference(block);
        for (int g = 0; g < rowWords; g++)
        {
            for (int w = 0; w < wordsPerColumn; w += 4)
            {
                nuint first = (nuint)(64 * g * wordsPerColumn + w);
                for (int k = 0; k < 64; k++)
                    Unsafe.Add(ref v, k) = Vector256.LoadUnsafe(ref src, first + (nuint)(k * wordsPerColumn));
                Swaps256(ref v);
                for (int r = 0; r < 64; r++)
                {
                    var x = Unsafe.Add(ref v, r);
                    nint row = 64 * w + r;
                    Unsafe.Add(ref dst, row * rowWords + g) = x.GetElement(0);
                    Unsafe.Add(ref dst, (row + 64) * rowWords + g) = x.GetElement(1);
                    Unsafe.Add(ref dst, (row + 128) * rowWords + g) = x.GetElement(2);
                    Unsafe.Add(ref dst, (row + 192) * rowWords + g) = x.GetElement(3);
                }
            }
        }
    }

    private static void TransposeScalar(ReadOnlySpan<ulong> columns, int rowWords, int wordsPerColumn, Span<ulong> rowsOut)
    {
        Span<ulong> block = stackalloc ulong[64];
        for (int g = 0; g < rowWords; g++)
        {
            for (int w = 0; w < wordsPerColumn; w++)
            {
                for (int k = 0; k < 64; k++) block[k] = columns[(64 * g + k) * wordsPerColumn + w];
                SwapsScalar(block);
                for (int r = 0; r < 64; r++) rowsOut[(64 * w + r) * rowWords + g] = block[r];
            }
        }
    }

    // Eklundh: at distance d, entry k (bit d of k clear) trades its high d-bit halves with entry k + d's low halves.
    // After the six distances, entry r holds bit r of every input entry.
    private static ReadOnlySpan<ulong> Masks =>
    [
        0x00000000FFFFFFFFUL, 0x0000FFFF0000FFFFUL, 0x00FF00FF00FF00FFUL,
        0x0F0F0F0F0F0F0F0FUL, 0x3333333333333333UL, 0x5555555555555555UL,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swaps512(ref Vector512<ulong> v)
    {
        int level = 0;
        for (int d = 32; d > 0; d >>= 1, level++)
        {
            var mask = Vector512.Create(Masks[level]);
            for (int k0 = 0; k0 < 64; k0 += 2 * d)
            {
                for (int k = k0; k < k0 + d; k++)
                {
                    ref var a = ref Unsafe.Add(ref v, k);
                    ref var b = ref Unsafe.Add(ref v, k + d);
                    var t = (Vector512.ShiftRightLogical(a, d) ^ b) & mask;
                    b ^= t;
                    a ^= Vector512.ShiftLeft(t, d);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swaps256(ref Vector256<ulong> v)
    {
        int level = 0;
        for (int d = 32; d > 0; d >>= 1, level++)
        {
            var mask = Vector256.Create(Masks[level]);
            for (int k0 = 0; k0 < 64; k0 += 2 * d)
            {
                for (int k = k0; k < k0 + d; k++)
                {
                    ref var a = ref Unsafe.Add(ref v, k);
                    ref var b = ref Unsafe.Add(ref v, k + d);
                    var t = (Vector256.ShiftRightLogical(a, d) ^ b) & mask;
                    b ^= t;
                    a ^= Vector256.ShiftLeft(t, d);
                }
            }
        }
    }

    private static void SwapsScalar(Span<ulong> v)
    {
        int level = 0;
        for (int d = 32; d > 0; d >>= 1, level++)
        {
            ulong mask = Masks[level];
            for (int k0 = 0; k0 < 64; k0 += 2 * d)
            {
                for (int k = k0; k < k0 + d; k++)
                {
                    ulong t = ((v[k] >> d) ^ v[k + d]) & mask;
                    v[k + d] ^= t;
                    v[k] ^= t << d;
                }
            }
        }
    }
}
