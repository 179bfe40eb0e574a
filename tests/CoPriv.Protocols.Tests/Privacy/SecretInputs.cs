using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>Secret inputs for the privacy harness, made from seeds, and the conversions the protocol calls need.</summary>
internal static class SecretInputs
{
    /// <summary>Each party's input made from its own seed (independent shares, or each party's own values).</summary>
    public static PartyInputs Independent(SecretSeeds seeds, Func<ulong, ulong[]> make) =>
        new(make(seeds.Of(PartyRole.Server)), make(seeds.Of(PartyRole.Client)));

    /// <summary>
    /// Shares of values made from the peer's seed: the observer's share is uniform from its own seed, the peer's is
    /// the value minus it, so the peer's input carries the value (for protocols whose inputs must mean something,
    /// e.g. non-negative values or a known argmax).
    /// </summary>
    public static PartyInputs SharesOf(SecretSeeds seeds, Ring ring, Func<ulong, ulong[]> values)
    {
        var x = values(seeds.PeerSeed);
        var own = Uniform(ring, x.Length, seeds.ObserverSeed);
        var peer = new ulong[x.Length];
        ring.Sub(x, own, peer);
        return seeds.Observer == PartyRole.Server ? new(own, peer) : new(peer, own);
    }

    public static ulong[] Uniform(Ring ring, int n, ulong seed)
    {
        var v = new ulong[n];
        AesPrg.FromTestSeed(seed, 30).Fill(v, ring);
        return v;
    }

    public static ulong[] Bits(int n, ulong seed)
    {
        var b = new byte[n];
        AesPrg.FromTestSeed(seed, 31).FillBits(b);
        return b.Select(x => (ulong)x).ToArray();
    }

    /// <summary>Signed values uniform in [−bound, bound], as ring elements.</summary>
    public static ulong[] Signed(Ring ring, int n, long bound, ulong seed)
    {
        var prg = AesPrg.FromTestSeed(seed, 32);
        var v = new ulong[n];
        for (int i = 0; i < n; i++) v[i] = ring.FromSigned((long)(prg.NextUInt64() % (ulong)(2 * bound + 1)) - bound);
        return v;
    }

    /// <summary>Concatenates parts of one party's input.</summary>
    public static ulong[] Concat(params ulong[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] AsBits(ReadOnlySpan<ulong> values)
    {
        var b = new byte[values.Length];
        for (int i = 0; i < values.Length; i++) b[i] = (byte)values[i];
        return b;
    }

    /// <summary>Ring elements read back as the signed fixed-point integers a server's weights are given as.</summary>
    public static long[] AsSigned(Ring ring, ReadOnlySpan<ulong> values)
    {
        var s = new long[values.Length];
        for (int i = 0; i < values.Length; i++) s[i] = ring.ToSigned(values[i]);
        return s;
    }
}
