using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// The cleartext meaning of every non-linear protocol: what the reconstructed output must equal, bit for bit, for a
/// reconstructed input. Tests and the cleartext model executor use it; no party runs it on secrets.
/// Values are ring elements read as two's complement, as <see cref="Ring.ToSigned"/> does.
/// </summary>
public static class NonLinearReference
{
    /// <summary>The millionaires' predicate: 1 when x &gt; y as unsigned numbers of the given width.</summary>
    public static byte Greater(ulong x, ulong y) => x > y ? (byte)1 : (byte)0;

    /// <summary>The sign bit of the signed reading.</summary>
    public static byte Msb(Ring ring, ulong x) => (byte)ring.Msb(ring.Reduce(x));

    /// <summary>DReLU(x) = 1 when x ≥ 0 (signed), else 0.</summary>
    public static byte Drelu(Ring ring, ulong x) => (byte)(1 - ring.Msb(ring.Reduce(x)));

    /// <summary>ReLU(x) = max(x, 0) on the signed reading.</summary>
    public static ulong Relu(Ring ring, ulong x) => ring.ToSigned(ring.Reduce(x)) >= 0 ? ring.Reduce(x) : 0;

    /// <summary>floor(x / 2^s) of the signed reading (an arithmetic right shift), reduced into the same ring.</summary>
    public static ulong FaithfulTruncate(Ring ring, ulong x, int shift) =>
        ring.FromSigned(ring.ToSigned(ring.Reduce(x)) >> shift);

    /// <summary>
    /// floor(x / 2^s) reduced into Z_{2^{ℓ−s}}: the top ℓ − s bits of x. Read as signed in the smaller ring this is
    /// the arithmetic shift of the signed reading.
    /// </summary>
    public static ulong TruncateAndReduce(Ring ring, ulong x, int shift) => ring.Reduce(x) >> shift;

    /// <summary>floor(x / d) of the signed reading for a public divisor d ≥ 1 (rounds towards −∞), reduced.</summary>
    public static ulong DivideFloor(Ring ring, ulong x, ulong divisor)
    {
        if (divisor == 0) throw new ArgumentException("the divisor must be positive", nameof(divisor));
        Int128 v = ring.ToSigned(ring.Reduce(x));
        Int128 d = divisor;
        Int128 q = v / d;
        if (v % d != 0 && v < 0) q -= 1;
        return (ulong)q & ring.Mask;
    }

    /// <summary>max(a, b) on the signed reading.</summary>
    public static ulong Max(Ring ring, ulong a, ulong b) =>
        ring.ToSigned(ring.Reduce(a)) >= ring.ToSigned(ring.Reduce(b)) ? ring.Reduce(a) : ring.Reduce(b);

    /// <summary>Maximum of each window (windows laid out one after another, <paramref name="windowSize"/> each).</summary>
    public static void MaxPool(Ring ring, ReadOnlySpan<ulong> x, int windowSize, Span<ulong> max)
    {
        if (windowSize < 1 || x.Length != max.Length * windowSize)
            throw new ArgumentException($"{x.Length} inputs do not form {max.Length} windows of {windowSize}");
        for (int w = 0; w < max.Length; w++)
        {
            ulong m = x[w * windowSize];
            for (int k = 1; k < windowSize; k++) m = Max(ring, m, x[w * windowSize + k]);
            max[w] = m;
        }
    }

    /// <summary>Index of the largest entry of each row (signed reading); ties go to the lowest index.</summary>
    public static void ArgMax(Ring ring, ReadOnlySpan<ulong> scores, int classes, Span<int> index)
    {
        if (classes < 1 || scores.Length != index.Length * classes)
            throw new ArgumentException($"{scores.Length} scores do not form {index.Length} rows of {classes}");
        for (int r = 0; r < index.Length; r++)
        {
            int best = 0;
            long bestValue = ring.ToSigned(ring.Reduce(scores[r * classes]));
            for (int k = 1; k < classes; k++)
            {
                long v = ring.ToSigned(ring.Reduce(scores[r * classes + k]));
                if (v > bestValue) { best = k; bestValue = v; }
            }
            index[r] = best;
        }
    }
}
