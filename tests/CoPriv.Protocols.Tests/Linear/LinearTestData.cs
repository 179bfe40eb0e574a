using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>Random fixed-point test data from fixed seeds.</summary>
internal static class LinearTestData
{
    /// <summary>Signed integers uniform in [−bound, bound].</summary>
    public static long[] Signed(int count, long bound, ulong seed)
    {
        var prg = AesPrg.FromTestSeed(seed, 1);
        var values = new long[count];
        ulong span = (ulong)(2 * bound + 1);
        for (int i = 0; i < count; i++) values[i] = (long)(prg.NextUInt64() % span) - bound;
        return values;
    }

    /// <summary>Fixed-point values uniform in [−magnitude, magnitude] as ring elements.</summary>
    public static ulong[] RingValues(FixedPoint fp, int count, double magnitude, ulong seed)
    {
        var raw = Signed(count, (long)(magnitude * fp.Unit), seed);
        var values = new ulong[count];
        for (int i = 0; i < count; i++) values[i] = fp.Ring.FromSigned(raw[i]);
        return values;
    }

    /// <summary>Uniform ring elements.</summary>
    public static ulong[] Uniform(Ring ring, int count, ulong seed)
    {
        var values = new ulong[count];
        AesPrg.FromTestSeed(seed, 2).Fill(values, ring);
        return values;
    }
}
