using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>AND gates, boolean-to-arithmetic conversion and the multiplexer: exact, and their bits per element.</summary>
public class BooleanGateTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4_096)]
    public void And_of_shared_bits_is_the_and_of_the_bits(int n)
    {
        var prg = AesPrg.FromTestSeed(40, (ulong)n);
        var x = Shares.RandomBits(prg, n);
        var y = Shares.RandomBits(prg, n);
        var x0 = Shares.RandomBits(prg, n);
        var y0 = Shares.RandomBits(prg, n);
        var x1 = x.Zip(x0, (a, b) => (byte)(a ^ b)).ToArray();
        var y1 = y.Zip(y0, (a, b) => (byte)(a ^ b)).ToArray();
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var z = new byte[n]; BooleanAnd.Run(ctx, x0, y0, z); return z; },
            ctx => { var z = new byte[n]; BooleanAnd.Run(ctx, x1, y1, z); return z; });
        var z = Shares.ReconstructBits(run.Server, run.Client);
        for (int i = 0; i < n; i++) Assert.Equal(x[i] & y[i], z[i]);
        Assert.Equal(BooleanAnd.Cost(n), run.Cost);
    }

    [Fact]
    public void And_costs_144_bits_per_triple_and_148_with_the_opening()
    {
        const int n = 8_192;
        Assert.Equal(144L * n, 8 * BooleanAnd.TripleCost(n).TotalBytes);
        var prg = AesPrg.FromTestSeed(41);
        var x0 = Shares.RandomBits(prg, n);
        var x1 = Shares.RandomBits(prg, n);
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var z = new byte[n]; BooleanAnd.Run(ctx, x0, x1, z); return z; },
            ctx => { var z = new byte[n]; BooleanAnd.Run(ctx, x1, x0, z); return z; });
        Assert.Equal(148L * n, MillionaireTests.PayloadBits(run.Cost));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(41)]
    [InlineData(64)]
    public void Boolean_to_arithmetic_gives_shares_of_the_bit(int bits)
    {
        var ring = new Ring(bits);
        const int n = 1_000;
        var prg = AesPrg.FromTestSeed(42, (ulong)bits);
        var b = Shares.RandomBits(prg, n);
        var b0 = Shares.RandomBits(prg, n);
        var b1 = b.Zip(b0, (p, q) => (byte)(p ^ q)).ToArray();
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var a = new ulong[n]; BooleanToArithmetic.Run(ctx, ring, b0, a); return a; },
            ctx => { var a = new ulong[n]; BooleanToArithmetic.Run(ctx, ring, b1, a); return a; });
        var a = Shares.Reconstruct(ring, run.Server, run.Client);
        for (int i = 0; i < n; i++) Assert.Equal(b[i], a[i]);
        Assert.Equal(BooleanToArithmetic.Cost(n, ring), run.Cost);
        Assert.Equal(169L * 8_192, 8 * (BooleanToArithmetic.Cost(8_192, new Ring(41)).TotalBytes - 2 * MillionaireTests.ParameterHandshakeBytes));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(41)]
    [InlineData(64)]
    public void Multiplexer_selects_the_shared_value_or_zero(int bits)
    {
        var ring = new Ring(bits);
        var prg = AesPrg.FromTestSeed(43, (ulong)bits);
        var x = Shares.Values(ring, prg, 500);
        int n = x.Length;
        var (x0, x1) = Shares.Split(ring, prg, x);
        var d = Shares.RandomBits(prg, n);
        var d0 = Shares.RandomBits(prg, n);
        var d1 = d.Zip(d0, (p, q) => (byte)(p ^ q)).ToArray();
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var y = new ulong[n]; Multiplexer.Run(ctx, ring, d0, x0, y); return y; },
            ctx => { var y = new ulong[n]; Multiplexer.Run(ctx, ring, d1, x1, y); return y; });
        var y = Shares.Reconstruct(ring, run.Server, run.Client);
        for (int i = 0; i < n; i++) Assert.Equal(d[i] == 1 ? x[i] : 0, y[i]);
        Assert.Equal(Multiplexer.Cost(n, ring), run.Cost);
    }

    [Fact]
    public void Multiplexer_conversion_and_AND_bits_per_element_equal_the_reference_table() =>
        GatesCostTheReferenceBitsPerElement(8_192, seed: 44);

    [Fact]
    public void Gates_at_65536_elements_cost_the_reference_bits_per_element() =>
        GatesCostTheReferenceBitsPerElement(65_536, seed: 45);

    private static void GatesCostTheReferenceBitsPerElement(int n, ulong seed)
    {
        var ring = new Ring(41);
        var prg = AesPrg.FromTestSeed(seed);
        var x = Shares.Values(ring, prg, n);
        var (x0, x1) = Shares.Split(ring, prg, x);
        var d0 = Shares.RandomBits(prg, n);
        var d1 = Shares.RandomBits(prg, n);
        using var session = SessionPair.Create();
        var mux = session.Run(
            ctx => { var y = new ulong[n]; Multiplexer.Run(ctx, ring, d0, x0, y); return y; },
            ctx => { var y = new ulong[n]; Multiplexer.Run(ctx, ring, d1, x1, y); return y; });
        Assert.Equal(338L * n, MillionaireTests.PayloadBits(mux.Cost));
        var b2a = session.Run(
            ctx => { var y = new ulong[n]; BooleanToArithmetic.Run(ctx, ring, d0, y); return y; },
            ctx => { var y = new ulong[n]; BooleanToArithmetic.Run(ctx, ring, d1, y); return y; });
        Assert.Equal(169L * n, MillionaireTests.PayloadBits(b2a.Cost));
        var and = session.Run(
            ctx => { var z = new byte[n]; BooleanAnd.Run(ctx, d0, d1, z); return z; },
            ctx => { var z = new byte[n]; BooleanAnd.Run(ctx, d1, d0, z); return z; });
        Assert.Equal(148L * n, MillionaireTests.PayloadBits(and.Cost));
    }
}
