using System.Numerics;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// Plaintext matrix arithmetic in Z_{2^ℓ} on row-major spans: what each party does locally with its own values
/// or shares (the server's A·B0, the cleartext references). Products wrap mod 2^64 and are reduced once at the
/// end, which is the same as reducing mod 2^ℓ after every step.
/// </summary>
public static class RingMatrix
{
    /// <summary>dst (m×p) = a (m×n) · b (n×p) mod 2^ℓ.</summary>
    public static void Multiply(Ring ring, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int m, int n, int p, Span<ulong> dst)
    {
        Check(a.Length, (long)m * n, "left matrix");
        Check(b.Length, (long)n * p, "right matrix");
        Check(dst.Length, (long)m * p, "product");
        dst.Clear();
        int lanes = Vector<ulong>.Count;
        for (int i = 0; i < m; i++)
        {
            var row = dst.Slice(i * p, p);
            for (int k = 0; k < n; k++)
            {
                ulong aik = a[i * n + k];
                if (aik == 0) continue;
                var bRow = b.Slice(k * p, p);
                int j = 0;
                if (Vector.IsHardwareAccelerated && p >= lanes)
                {
                    var va = new Vector<ulong>(aik);
                    for (; j + lanes <= p; j += lanes)
                        (new Vector<ulong>(row.Slice(j, lanes)) + va * new Vector<ulong>(bRow.Slice(j, lanes))).CopyTo(row.Slice(j, lanes));
                }
                for (; j < p; j++) row[j] += aik * bRow[j];
            }
        }
        ring.Reduce(dst);
    }

    /// <summary>dst (cols×rows) = srcᵀ for src (rows×cols).</summary>
    public static void Transpose(ReadOnlySpan<ulong> src, int rows, int cols, Span<ulong> dst)
    {
        Check(src.Length, (long)rows * cols, "matrix");
        Check(dst.Length, (long)rows * cols, "transpose");
        const int block = 32;
        for (int r0 = 0; r0 < rows; r0 += block)
        {
            int r1 = Math.Min(rows, r0 + block);
            for (int c0 = 0; c0 < cols; c0 += block)
            {
                int c1 = Math.Min(cols, c0 + block);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++)
                        dst[c * rows + r] = src[r * cols + c];
            }
        }
    }

    /// <summary>The transpose as a new array.</summary>
    public static ulong[] Transpose(ReadOnlySpan<ulong> src, int rows, int cols)
    {
        var dst = new ulong[(long)rows * cols];
        Transpose(src, rows, cols, dst);
        return dst;
    }

    /// <summary>Signed fixed-point integers into ring elements (two's complement, reduced).</summary>
    public static ulong[] FromSigned(Ring ring, ReadOnlySpan<long> values)
    {
        var dst = new ulong[values.Length];
        for (int i = 0; i < values.Length; i++) dst[i] = ring.FromSigned(values[i]);
        return dst;
    }

    private static void Check(int actual, long expected, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"the {what} has {actual} elements, expected {expected}");
    }
}
