using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>Test inputs: random ring elements plus the edge values, split into additive shares in several ways.</summary>
internal static class Shares
{
    /// <summary>0, ±1, the extremes of the signed range, and values just around multiples of 2^shift.</summary>
    public static List<ulong> EdgeValues(Ring ring, params int[] shifts)
    {
        var v = new List<long> { 0, 1, -1, 2, -2, ring.MaxSigned, ring.MinSigned, ring.MaxSigned - 1, ring.MinSigned + 1 };
        foreach (int s in shifts)
        {
            if (s >= ring.Bits - 1) continue;
            long p = 1L << s;
            v.AddRange([p, -p, p - 1, -p + 1, p + 1, -p - 1, 3 * p, -3 * p, 3 * p + 1, -3 * p - 1]);
        }
        return v.Select(ring.FromSigned).Distinct().ToList();
    }

    /// <summary>The edge values followed by random elements, n in total (at least the edge values).</summary>
    public static ulong[] Values(Ring ring, AesPrg prg, int n, params int[] shifts)
    {
        var edge = EdgeValues(ring, shifts);
        var x = new ulong[Math.Max(n, edge.Count)];
        prg.Fill(x, ring);
        for (int i = 0; i < edge.Count; i++) x[i] = edge[i];
        return x;
    }

    /// <summary>
    /// Splits x into server and client shares. Most are random; some are chosen so that the shares wrap or sit on
    /// boundaries: x0 = 0, x0 = x, x0 = 2^ℓ − 1 (always wraps unless x = 2^ℓ − 1), x0 = 2^{ℓ−1}.
    /// </summary>
    public static (ulong[] Server, ulong[] Client) Split(Ring ring, AesPrg prg, ReadOnlySpan<ulong> x)
    {
        var s = new ulong[x.Length];
        prg.Fill(s, ring);
        var c = new ulong[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            switch (i % 11)
            {
                case 3: s[i] = 0; break;
                case 5: s[i] = x[i]; break;
                case 7: s[i] = ring.Mask; break;
                case 9: s[i] = 1UL << (ring.Bits - 1); break;
            }
            c[i] = ring.Sub(x[i], s[i]);
        }
        return (s, c);
    }

    public static ulong[] Reconstruct(Ring ring, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var r = new ulong[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = ring.Add(a[i], b[i]);
        return r;
    }

    public static byte[] ReconstructBits(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var r = new byte[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            Assert.InRange(a[i], 0, 1);
            Assert.InRange(b[i], 0, 1);
            r[i] = (byte)(a[i] ^ b[i]);
        }
        return r;
    }

    public static byte[] RandomBits(AesPrg prg, int n)
    {
        var b = new byte[n];
        prg.FillBits(b);
        return b;
    }
}
