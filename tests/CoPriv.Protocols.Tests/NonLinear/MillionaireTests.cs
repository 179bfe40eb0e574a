using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>The millionaires' comparison: exact results for every width and radix, and Mill(ℓ, m) on the wire.</summary>
public class MillionaireTests
{
    private const int Lambda = 128;

    /// <summary>Mill(ℓ, m) = q(2λ + 2^{m+1}) + A(λ + 20), q = ⌈ℓ/m⌉, A = 2(q − 1) − ⌈log₂ q⌉ (PROTOCOLS.md).</summary>
    private static long FormulaBits(int bits, int radix)
    {
        int q = (bits + radix - 1) / radix;
        int log = (int)Math.Ceiling(Math.Log2(q));
        int ands = 2 * (q - 1) - log;
        return q * (2L * Lambda + (1L << (radix + 1))) + ands * (Lambda + 20L);
    }

    /// <summary>x &gt; y pairs that stress the digit tree: equal values, neighbours, differences in one digit only.</summary>
    internal static (ulong[] X, ulong[] Y) Inputs(int bits, int n, ulong seed)
    {
        var prg = AesPrg.FromTestSeed(seed, (ulong)bits);
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var x = new ulong[n];
        var y = new ulong[n];
        prg.Fill(x);
        prg.Fill(y);
        for (int i = 0; i < n; i++)
        {
            x[i] &= mask;
            y[i] &= mask;
            switch (i % 8)
            {
                case 1: y[i] = x[i]; break;
                case 2: y[i] = (x[i] + 1) & mask; break;
                case 3: y[i] = (x[i] - 1) & mask; break;
                case 4: y[i] = x[i] ^ (1UL << (int)(prg.NextUInt64() % (ulong)bits)); break;
                case 5: x[i] = i % 16 < 8 ? 0 : mask; break;
                case 6: y[i] = i % 16 < 8 ? 0 : mask; break;
            }
        }
        return (x, y);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(40)]
    [InlineData(41)]
    [InlineData(64)]
    public void Comparison_matches_cleartext_for_every_radix(int bits)
    {
        using var session = SessionPair.Create();
        const int n = 333;
        var (x, y) = Inputs(bits, n, 1);
        for (int radix = 2; radix <= 8; radix++)
        {
            int m = radix;
            var run = session.Run(
                ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, x, r, m); return r; },
                ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, y, r, m); return r; });
            var result = Shares.ReconstructBits(run.Server, run.Client);
            for (int i = 0; i < n; i++)
                Assert.True(NonLinearReference.Greater(x[i], y[i]) == result[i],
                    $"ℓ={bits}, m={m}: [{x[i]} > {y[i]}] came out {result[i]}");
            Assert.Equal(MillionaireProtocol.Cost(n, bits, m), run.Cost);
        }
    }

    [Theory]
    [InlineData(31, 3_932)]
    [InlineData(40, 4_952)]
    [InlineData(11, 1_160)]
    public void Bits_per_comparison_equal_the_reference_table_at_radix_4(int bits, long referenceBits)
    {
        using var session = SessionPair.Create();
        const int n = 4_096;
        var (x, y) = Inputs(bits, n, 2);
        var run = session.Run(
            ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, x, r); return r; },
            ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, y, r); return r; });
        Assert.Equal(MillionaireProtocol.Cost(n, bits), run.Cost);
        Assert.Equal(referenceBits * n, PayloadBits(run.Cost));
    }

    [Fact]
    public void Bits_per_comparison_at_65536_elements_equal_the_reference_table()
    {
        using var session = SessionPair.Create();
        const int n = 65_536;
        foreach (var (bits, reference) in new[] { (31, 3_932L), (40, 4_952L), (11, 1_160L) })
        {
            var (x, y) = Inputs(bits, n, 4);
            var run = session.Run(
                ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, x, r); return r; },
                ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, y, r); return r; });
            var result = Shares.ReconstructBits(run.Server, run.Client);
            for (int i = 0; i < n; i++) Assert.Equal(NonLinearReference.Greater(x[i], y[i]), result[i]);
            Assert.Equal(MillionaireProtocol.Cost(n, bits), run.Cost);
            Assert.Equal(reference * n, PayloadBits(run.Cost));
        }
    }

    [Fact]
    public void Bits_per_comparison_follow_the_formula_for_radix_2_to_8()
    {
        using var session = SessionPair.Create();
        const int n = 1_024;
        foreach (int bits in new[] { 31, 40 })
        {
            var (x, y) = Inputs(bits, n, 3);
            for (int radix = 2; radix <= 8; radix++)
            {
                int m = radix;
                var run = session.Run(
                    ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, x, r, m); return r; },
                    ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, y, r, m); return r; });
                Assert.Equal(MillionaireProtocol.Cost(n, bits, m), run.Cost);
                Assert.True(FormulaBits(bits, m) * n == PayloadBits(run.Cost),
                    $"ℓ={bits}, m={m}: {PayloadBits(run.Cost) / (double)n} bits per comparison, formula {FormulaBits(bits, m)}");
            }
        }
    }

    /// <summary>Both directions, all phases, without the fixed parameter handshake of the call.</summary>
    internal static long PayloadBits(CommunicationCost cost) => 8 * (cost.TotalBytes - 2 * ParameterHandshakeBytes);

    internal const int ParameterHandshakeBytes = 16;
}
