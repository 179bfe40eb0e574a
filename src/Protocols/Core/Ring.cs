using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CoPriv.Protocols.Core;

/// <summary>
/// The ring Z_{2^ℓ} for 1 ≤ ℓ ≤ 64. Elements are stored in <see cref="ulong"/>, always reduced to the low ℓ bits,
/// and read as two's complement by <see cref="ToSigned"/>. Both parties use it on their additive shares; it is pure
/// arithmetic and learns nothing.
/// </summary>
public readonly struct Ring : IEquatable<Ring>
{
    public Ring(int bits)
    {
        if (bits is < 1 or > 64)
            throw new ArgumentException($"ring bit width ℓ must be between 1 and 64, got {bits}", nameof(bits));
        Bits = bits;
        Mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
    }

    /// <summary>ℓ, the number of bits of an element.</summary>
    public int Bits { get; }

    /// <summary>2^ℓ − 1.</summary>
    public ulong Mask { get; }

    /// <summary>The largest signed value, 2^{ℓ−1} − 1.</summary>
    public long MaxSigned => Bits == 64 ? long.MaxValue : (1L << (Bits - 1)) - 1;

    /// <summary>The smallest signed value, −2^{ℓ−1}.</summary>
    public long MinSigned => Bits == 64 ? long.MinValue : -(1L << (Bits - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reduce(ulong x) => x & Mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong FromSigned(long x) => (ulong)x & Mask;

    /// <summary>Two's-complement reading of a reduced element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ToSigned(ulong x)
    {
        int shift = 64 - Bits;
        return (long)(x << shift) >> shift;
    }

    /// <summary>The most significant bit (the sign) of a reduced element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Msb(ulong x) => (int)((x >> (Bits - 1)) & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Add(ulong a, ulong b) => (a + b) & Mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Sub(ulong a, ulong b) => (a - b) & Mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Neg(ulong a) => (0UL - a) & Mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mul(ulong a, ulong b) => (a * b) & Mask;

    /// <summary>dst[i] = a[i] + b[i].</summary>
    public void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> dst)
    {
        CheckLengths(a.Length, b.Length, dst.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<ulong>(Mask);
            var va = MemoryMarshal.Cast<ulong, Vector<ulong>>(a);
            var vb = MemoryMarshal.Cast<ulong, Vector<ulong>>(b);
            var vd = MemoryMarshal.Cast<ulong, Vector<ulong>>(dst);
            for (int k = 0; k < va.Length; k++) vd[k] = (va[k] + vb[k]) & mask;
            i = va.Length * Vector<ulong>.Count;
        }
        for (; i < a.Length; i++) dst[i] = (a[i] + b[i]) & Mask;
    }

    /// <summary>dst[i] = a[i] − b[i].</summary>
    public void Sub(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> dst)
    {
        CheckLengths(a.Length, b.Length, dst.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<ulong>(Mask);
            var va = MemoryMarshal.Cast<ulong, Vector<ulong>>(a);
            var vb = MemoryMarshal.Cast<ulong, Vector<ulong>>(b);
            var vd = MemoryMarshal.Cast<ulong, Vector<ulong>>(dst);
            for (int k = 0; k < va.Length; k++) vd[k] = (va[k] - vb[k]) & mask;
            i = va.Length * Vector<ulong>.Count;
        }
        for (; i < a.Length; i++) dst[i] = (a[i] - b[i]) & Mask;
    }

    /// <summary>dst[i] = −a[i].</summary>
    public void Negate(ReadOnlySpan<ulong> a, Span<ulong> dst)
    {
        CheckLengths(a.Length, a.Length, dst.Length);
        for (int i = 0; i < a.Length; i++) dst[i] = (0UL - a[i]) & Mask;
    }

    /// <summary>dst[i] = c · a[i] for a public constant c.</summary>
    public void MultiplyByPublic(ReadOnlySpan<ulong> a, ulong c, Span<ulong> dst)
    {
        CheckLengths(a.Length, a.Length, dst.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<ulong>(Mask);
            var vc = new Vector<ulong>(c);
            var va = MemoryMarshal.Cast<ulong, Vector<ulong>>(a);
            var vd = MemoryMarshal.Cast<ulong, Vector<ulong>>(dst);
            for (int k = 0; k < va.Length; k++) vd[k] = (va[k] * vc) & mask;
            i = va.Length * Vector<ulong>.Count;
        }
        for (; i < a.Length; i++) dst[i] = (a[i] * c) & Mask;
    }

    /// <summary>dst[i] = a[i] · 2^k (a left shift within the ring).</summary>
    public void ShiftLeft(ReadOnlySpan<ulong> a, int k, Span<ulong> dst)
    {
        CheckShift(k);
        CheckLengths(a.Length, a.Length, dst.Length);
        for (int i = 0; i < a.Length; i++) dst[i] = (a[i] << k) & Mask;
    }

    /// <summary>Logical right shift of the ℓ-bit representation (not a secure truncation of shares).</summary>
    public void ShiftRightLogical(ReadOnlySpan<ulong> a, int k, Span<ulong> dst)
    {
        CheckShift(k);
        CheckLengths(a.Length, a.Length, dst.Length);
        for (int i = 0; i < a.Length; i++) dst[i] = (a[i] & Mask) >> k;
    }

    /// <summary>Arithmetic right shift of the signed reading: floor(x / 2^k), reduced again.</summary>
    public void ShiftRightArithmetic(ReadOnlySpan<ulong> a, int k, Span<ulong> dst)
    {
        CheckShift(k);
        CheckLengths(a.Length, a.Length, dst.Length);
        for (int i = 0; i < a.Length; i++) dst[i] = (ulong)(ToSigned(a[i]) >> k) & Mask;
    }

    /// <summary>Reduces every element to ℓ bits in place.</summary>
    public void Reduce(Span<ulong> a)
    {
        for (int i = 0; i < a.Length; i++) a[i] &= Mask;
    }

    private void CheckShift(int k)
    {
        if (k < 0 || k >= Bits)
            throw new ArgumentException($"shift {k} is outside 0..{Bits - 1} for a {Bits}-bit ring", nameof(k));
    }

    private static void CheckLengths(int a, int b, int dst)
    {
        if (a != b || a != dst)
            throw new ArgumentException($"operand lengths differ: {a}, {b} and destination {dst}");
    }

    public bool Equals(Ring other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is Ring r && Equals(r);
    public override int GetHashCode() => Bits;
    public static bool operator ==(Ring a, Ring b) => a.Equals(b);
    public static bool operator !=(Ring a, Ring b) => !a.Equals(b);
    public override string ToString() => $"Z_2^{Bits}";
}
