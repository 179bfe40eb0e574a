using CoPriv.Protocols.Crypto;

namespace CoPriv.Bench;

/// <summary>Reproducible weights and inputs for the convolution benchmarks: uniform integers in [−bound, bound].</summary>
internal static class RandomSignedValues
{
    public static long[] Draw(int count, long bound, ulong seed, ulong stream)
    {
        var prg = AesPrg.FromTestSeed(seed, 100 + stream);
        var values = new long[count];
        ulong span = (ulong)(2 * bound + 1);
        for (int i = 0; i < count; i++) values[i] = (long)(prg.NextUInt64() % span) - bound;
        return values;
    }
}
