using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.Crypto;

public class PrgAndHashTests
{
    [Fact]
    public void Same_seed_gives_the_same_stream_whatever_the_request_sizes()
    {
        var a = AesPrg.FromTestSeed(42);
        var b = AesPrg.FromTestSeed(42);
        var whole = new byte[100_000];
        a.Fill(whole);
        var pieces = new byte[100_000];
        int pos = 0;
        foreach (int size in new[] { 1, 15, 16, 17, 4096, 5000, 70_000 })
        {
            b.Fill(pieces.AsSpan(pos, size));
            pos += size;
        }
        b.Fill(pieces.AsSpan(pos));
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Different_seeds_and_streams_give_different_output()
    {
        var x = new byte[64];
        var y = new byte[64];
        var z = new byte[64];
        AesPrg.FromTestSeed(1).Fill(x);
        AesPrg.FromTestSeed(2).Fill(y);
        AesPrg.FromTestSeed(1, stream: 1).Fill(z);
        Assert.NotEqual(x, y);
        Assert.NotEqual(x, z);
    }

    [Fact]
    public void Ring_fill_is_reduced_and_every_bit_passes_a_binomial_balance_test()
    {
        const int n = 20_000;
        var ring = new Ring(41);
        var values = new ulong[n];
        AesPrg.FromTestSeed(7).Fill(values, ring);
        Assert.All(values, v => Assert.Equal(v, ring.Reduce(v)));
        // Under a uniform PRG each bit's count of ones is Binomial(n, ½): mean n/2, σ = √n / 2 ≈ 70.7. Accepting
        // |ones − n/2| ≤ 5.6σ (≈ 396) is a two-sided test with false-alarm rate P(|Z| > 5.6) = 2.1·10⁻⁸ per bit, below
        // 10⁻⁶ for all 41 bits together (union bound, normal approximation); a bias of 2 % in any bit fails it. The
        // seed is fixed, so the outcome is the same on every run.
        double allowed = 5.6 * Math.Sqrt(n) / 2;
        for (int bit = 0; bit < 41; bit++)
        {
            int ones = values.Count(v => ((v >> bit) & 1) == 1);
            Assert.True(Math.Abs(ones - n / 2) <= allowed, $"bit {bit}: {ones} ones in {n}, more than {allowed:0} from {n / 2}");
        }
    }

    [Fact]
    public void Batched_hash_equals_the_single_block_hash_and_depends_on_the_tweak()
    {
        var hash = new CorrelationRobustHash();
        var x = new ulong[2 * 2500];
        AesPrg.FromTestSeed(3).Fill(x);
        var batched = new ulong[x.Length];
        hash.Hash(x, firstIndex: 1000, counter: 5, batched);
        var blocks = MemoryMarshal.Cast<ulong, System.Runtime.Intrinsics.Vector128<ulong>>(x);
        for (int i = 0; i < blocks.Length; i += 97)
        {
            var single = hash.Hash(blocks[i], 1000 + (ulong)i, 5);
            Assert.Equal(single.GetElement(0), batched[2 * i]);
            Assert.Equal(single.GetElement(1), batched[2 * i + 1]);
        }
        var otherTweak = hash.Hash(blocks[0], 1001, 5);
        Assert.NotEqual(otherTweak.GetElement(0), batched[0]);
        var otherCounter = hash.Hash(blocks[0], 1000, 6);
        Assert.NotEqual(otherCounter.GetElement(0), batched[0]);
    }

    [Fact]
    public void Portable_AES_path_computes_the_same_hash()
    {
        var x = new ulong[64];
        AesPrg.FromTestSeed(9).Fill(x);
        var fast = new ulong[64];
        new CorrelationRobustHash().Hash(x, 0, 0, fast);
        var portable = new ulong[64];
        using (PortableCodePaths.Force())
        {
            Assert.False(Aes128.HardwareAccelerated);
            new CorrelationRobustHash().Hash(x, 0, 0, portable);
        }
        Assert.Equal(fast, portable);
    }
}
