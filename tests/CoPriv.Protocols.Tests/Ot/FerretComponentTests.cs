using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>
/// Ferret's building blocks without a channel: the GGM single-point COT, the regular multi-point COT and the local
/// linear code, against level COTs and inputs made here (sender rows q, receiver rows q ⊕ c·Δ).
/// </summary>
public class FerretComponentTests
{
    private const ulong Domain = FerretCotSender.LevelHashDomain;

    /// <summary>Random COTs with Δ: sender rows q, receiver choices c and rows q ⊕ c·Δ.</summary>
    internal static (Vector128<ulong>[] Q, byte[] C, Vector128<ulong>[] T) RandomCots(AesPrg data, int count, Vector128<ulong> delta)
    {
        var q = new Vector128<ulong>[count];
        data.Fill(MemoryMarshal.Cast<Vector128<ulong>, ulong>(q.AsSpan()));
        var c = new byte[count];
        data.FillBits(c);
        var t = new Vector128<ulong>[count];
        for (int i = 0; i < count; i++) t[i] = c[i] == 1 ? q[i] ^ delta : q[i];
        return (q, c, t);
    }

    internal static Vector128<ulong> RandomBlock(AesPrg data) => Vector128.Create(data.NextUInt64(), data.NextUInt64());

    /// <summary>The pads of the level OTs, one block at a time (the fast path hashes them in a batch).</summary>
    private static Vector128<ulong>[] Pads(IReadOnlyList<Vector128<ulong>> rows, Vector128<ulong> shift)
    {
        var hash = new CorrelationRobustHash();
        return rows.Select((r, i) => hash.Hash(r ^ shift, (ulong)i, Domain)).ToArray();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 2)]
    [InlineData(8, 3)]
    [InlineData(13, 4)]
    public void Single_point_cot_differs_from_the_sender_leaves_by_delta_at_alpha_only(int depth, ulong seed)
    {
        var data = AesPrg.FromTestSeed(80, seed);
        for (int trial = 0; trial < 8; trial++)
        {
            var delta = RandomBlock(data);
            var (q, c, t) = RandomCots(data, depth, delta);
            var leaves = new Vector128<ulong>[1 << depth];
            var message = new Vector128<ulong>[SinglePointCot.MessageBlocks(depth)];
            SinglePointCot.Send(new GgmPrg(), RandomBlock(data), delta, Pads(q, default), Pads(q, delta), leaves, message);
            var received = new Vector128<ulong>[1 << depth];
            int alpha = SinglePointCot.Receive(new GgmPrg(), c, Pads(t, default), message, received);

            int expectedAlpha = 0;
            for (int l = 0; l < depth; l++) expectedAlpha |= (1 - c[l]) << l;
            Assert.Equal(expectedAlpha, alpha);
            for (int i = 0; i < leaves.Length; i++)
                Assert.Equal(i == alpha ? delta : Vector128<ulong>.Zero, received[i] ^ leaves[i]);
            // The receiver never computes v_α: no block it holds equals it.
            Assert.DoesNotContain(leaves[alpha], received);
        }
    }

    [Fact]
    public void Single_point_cot_receiver_leaves_off_alpha_do_not_depend_on_delta()
    {
        var data = AesPrg.FromTestSeed(81);
        const int depth = 7;
        var seed = RandomBlock(data);
        var q = Enumerable.Range(0, depth).Select(_ => RandomBlock(data)).ToArray();
        var c = new byte[depth];
        data.FillBits(c);
        Vector128<ulong>[] Run(Vector128<ulong> delta, out int alpha)
        {
            var t = q.Select((r, i) => c[i] == 1 ? r ^ delta : r).ToArray();
            var message = new Vector128<ulong>[SinglePointCot.MessageBlocks(depth)];
            SinglePointCot.Send(new GgmPrg(), seed, delta, Pads(q, default), Pads(q, delta), new Vector128<ulong>[1 << depth], message);
            var received = new Vector128<ulong>[1 << depth];
            alpha = SinglePointCot.Receive(new GgmPrg(), c, Pads(t, default), message, received);
            return received;
        }
        var a = Run(RandomBlock(data), out int alphaA);
        var b = Run(RandomBlock(data), out int alphaB);
        Assert.Equal(alphaA, alphaB);
        for (int i = 0; i < a.Length; i++)
            if (i != alphaA) Assert.Equal(a[i], b[i]);
        Assert.NotEqual(a[alphaA], b[alphaA]);
    }

    [Fact]
    public void Multi_point_cot_has_one_noisy_position_per_block_and_the_correlation_holds()
    {
        var p = FerretParameters.TestMain;
        var data = AesPrg.FromTestSeed(82);
        var delta = RandomBlock(data);
        var (q, c, t) = RandomCots(data, p.LevelCots, delta);
        var seeds = Enumerable.Range(0, p.NoisyBlocks).Select(_ => RandomBlock(data)).ToArray();
        var v = new Vector128<ulong>[p.Outputs];
        var message = new Vector128<ulong>[p.NoisyBlocks * SinglePointCot.MessageBlocks(p.LogBlock)];
        RegularMultiPointCot.Send(p, seeds, delta, Pads(q, default), Pads(q, delta), v, message, 2);
        var w = new Vector128<ulong>[p.Outputs];
        var positions = new int[p.NoisyBlocks];
        RegularMultiPointCot.Receive(p, c, 0, Pads(t, default), message, w, positions, 2);

        for (int block = 0; block < p.NoisyBlocks; block++)
        {
            int noisy = 0;
            for (int i = block * p.BlockSize; i < (block + 1) * p.BlockSize; i++)
            {
                var diff = v[i] ^ w[i];
                if (diff == Vector128<ulong>.Zero) continue;
                Assert.Equal(delta, diff);
                Assert.Equal(positions[block], i);
                noisy++;
            }
            Assert.Equal(1, noisy);
        }
    }

    [Theory]
    [InlineData(2_048, 16_384, 1)]
    [InlineData(512, 3_072, 2)]
    [InlineData(7, 100_003, 2)]
    public void Local_linear_code_matches_a_straightforward_reference_and_keeps_the_correlation(int k, int n, int parallelism)
    {
        var data = AesPrg.FromTestSeed(83, (ulong)n);
        var delta = RandomBlock(data);
        var (v, u, w) = RandomCots(data, k, delta);      // code input: base COTs
        var (r, e, s) = RandomCots(data, n, delta);      // noise: any COTs will do here
        var code = new LocalLinearCode(k, n, LocalLinearCode.PublicSeed);

        var q = (Vector128<ulong>[])r.Clone();
        code.Encode(v, q, parallelism);
        var tRows = (Vector128<ulong>[])s.Clone();
        code.Encode(w, tRows, parallelism);

        var columns = ReferenceColumns(k, n);
        for (int i = 0; i < n; i++)
        {
            ulong q0 = r[i].GetElement(0), q1 = r[i].GetElement(1), t0 = s[i].GetElement(0), t1 = s[i].GetElement(1);
            int bit = e[i];
            foreach (int row in columns[i])
            {
                q0 ^= v[row].GetElement(0); q1 ^= v[row].GetElement(1);
                t0 ^= w[row].GetElement(0); t1 ^= w[row].GetElement(1);
                bit ^= u[row];
            }
            Assert.Equal(Vector128.Create(q0, q1), q[i]);
            Assert.Equal(Vector128.Create(t0, t1), tRows[i]);
            Assert.Equal(bit == 1 ? delta : Vector128<ulong>.Zero, q[i] ^ tRows[i]);
        }
    }

    /// <summary>
    /// The code's columns as its summary defines them, computed with the platform's AES (not the project's): column
    /// i from blocks (3i + m, 0), ten little-endian words, row = ⌊w·k / 2^32⌋.
    /// </summary>
    internal static int[][] ReferenceColumns(int k, int n)
    {
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = "CoPriv-Ferret-A."u8.ToArray();
        var plain = new byte[48 * n];
        for (long b = 0; b < 3L * n; b++) BitConverter.TryWriteBytes(plain.AsSpan((int)(16 * b), 8), (ulong)b);
        var cipher = aes.EncryptEcb(plain, System.Security.Cryptography.PaddingMode.None);
        var columns = new int[n][];
        for (int i = 0; i < n; i++)
        {
            columns[i] = new int[10];
            for (int j = 0; j < 10; j++)
            {
                uint word = BitConverter.ToUInt32(cipher, 48 * i + 4 * j);
                columns[i][j] = (int)(((ulong)word * (ulong)k) >> 32);
            }
        }
        return columns;
    }

    [Fact]
    public void The_code_seed_is_the_documented_public_constant()
    {
        Assert.Equal("CoPriv-Ferret-A."u8.ToArray(), LocalLinearCode.PublicSeed.ToArray());
    }
}
