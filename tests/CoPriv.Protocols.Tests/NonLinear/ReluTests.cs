using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>DReLU / MSB and ReLU: bit-exact on random and edge inputs, and their bytes against REFERENCE.md.</summary>
public class ReluTests
{
    public static TheoryData<int> RingSizes() => new() { 16, 32, 41, 64 };

    [Theory]
    [MemberData(nameof(RingSizes))]
    public void Drelu_and_msb_match_the_sign_of_the_reconstructed_value(int bits)
    {
        var ring = new Ring(bits);
        var prg = AesPrg.FromTestSeed(20, (ulong)bits);
        var x = Shares.Values(ring, prg, 500, 7, 11, 12);
        var (x0, x1) = Shares.Split(ring, prg, x);
        int n = x.Length;
        using var session = SessionPair.Create();
        var drelu = session.Run(
            ctx => { var r = new byte[n]; DreluProtocol.Run(ctx, ring, x0, r); return r; },
            ctx => { var r = new byte[n]; DreluProtocol.Run(ctx, ring, x1, r); return r; });
        var msb = session.Run(
            ctx => { var r = new byte[n]; DreluProtocol.RunMsb(ctx, ring, x0, r); return r; },
            ctx => { var r = new byte[n]; DreluProtocol.RunMsb(ctx, ring, x1, r); return r; });
        var d = Shares.ReconstructBits(drelu.Server, drelu.Client);
        var m = Shares.ReconstructBits(msb.Server, msb.Client);
        for (int i = 0; i < n; i++)
        {
            Assert.True(NonLinearReference.Drelu(ring, x[i]) == d[i], $"DReLU({ring.ToSigned(x[i])}) came out {d[i]}");
            Assert.True(NonLinearReference.Msb(ring, x[i]) == m[i], $"msb({ring.ToSigned(x[i])}) came out {m[i]}");
        }
        Assert.Equal(DreluProtocol.Cost(n, ring), drelu.Cost);
        Assert.Equal(DreluProtocol.Cost(n, ring), msb.Cost);
    }

    [Theory]
    [MemberData(nameof(RingSizes))]
    public void Relu_matches_cleartext_in_both_variants(int bits)
    {
        var ring = new Ring(bits);
        var prg = AesPrg.FromTestSeed(21, (ulong)bits);
        var x = Shares.Values(ring, prg, 700, 7, 11, 12);
        var (x0, x1) = Shares.Split(ring, prg, x);
        int n = x.Length;
        using var session = SessionPair.Create();
        foreach (var variant in Enum.GetValues<ReluVariant>())
        {
            var run = session.Run(
                ctx => { var y = new ulong[n]; var d = new byte[n]; ReluProtocol.Run(ctx, ring, x0, y, d, variant); return (y, d); },
                ctx => { var y = new ulong[n]; var d = new byte[n]; ReluProtocol.Run(ctx, ring, x1, y, d, variant); return (y, d); });
            var y = Shares.Reconstruct(ring, run.Server.y, run.Client.y);
            var d = Shares.ReconstructBits(run.Server.d, run.Client.d);
            for (int i = 0; i < n; i++)
            {
                Assert.True(NonLinearReference.Relu(ring, x[i]) == y[i],
                    $"{variant}: ReLU({ring.ToSigned(x[i])}) came out {ring.ToSigned(y[i])}");
                Assert.Equal(NonLinearReference.Drelu(ring, x[i]), d[i]);
            }
            Assert.Equal(ReluProtocol.Cost(n, ring, variant), run.Cost);
        }
    }

    [Theory]
    [InlineData(ReluVariant.ChosenMessageOt)]
    [InlineData(ReluVariant.CorrelatedOtMultiplexer)]
    public void Relu_output_may_overwrite_its_input(ReluVariant variant)
    {
        var ring = new Ring(32);
        var prg = AesPrg.FromTestSeed(22);
        var x = Shares.Values(ring, prg, 100);
        var (x0, x1) = Shares.Split(ring, prg, x);
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var v = (ulong[])x0.Clone(); ReluProtocol.Run(ctx, ring, v, v, variant); return v; },
            ctx => { var v = (ulong[])x1.Clone(); ReluProtocol.Run(ctx, ring, v, v, variant); return v; });
        var y = Shares.Reconstruct(ring, run.Server, run.Client);
        for (int i = 0; i < x.Length; i++) Assert.Equal(NonLinearReference.Relu(ring, x[i]), y[i]);
    }

    [Theory]
    [InlineData(32, ReluVariant.ChosenMessageOt, 4_316)]
    [InlineData(41, ReluVariant.ChosenMessageOt, 5_372)]
    [InlineData(32, ReluVariant.CorrelatedOtMultiplexer, 4_252)]
    public void Relu_bits_per_element_equal_the_reference_table(int bits, ReluVariant variant, long referenceBits)
    {
        var ring = new Ring(bits);
        var prg = AesPrg.FromTestSeed(23, (ulong)bits);
        const int n = 8_192;
        var x = Shares.Values(ring, prg, n);
        var (x0, x1) = Shares.Split(ring, prg, x);
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var y = new ulong[n]; ReluProtocol.Run(ctx, ring, x0, y, variant); return y; },
            ctx => { var y = new ulong[n]; ReluProtocol.Run(ctx, ring, x1, y, variant); return y; });
        Assert.Equal(ReluProtocol.Cost(n, ring, variant), run.Cost);
        Assert.Equal(referenceBits * n, MillionaireTests.PayloadBits(run.Cost));
    }

    [Fact]
    public void Relu_at_65536_elements_costs_the_reference_bits_per_element()
    {
        const int n = 65_536;
        using var session = SessionPair.Create();
        foreach (var (bits, variant, reference) in new[]
                 {
                     (32, ReluVariant.ChosenMessageOt, 4_316L), (41, ReluVariant.ChosenMessageOt, 5_372L),
                     (32, ReluVariant.CorrelatedOtMultiplexer, 4_252L),
                 })
        {
            var ring = new Ring(bits);
            var prg = AesPrg.FromTestSeed(24, (ulong)bits);
            var x = Shares.Values(ring, prg, n);
            var (x0, x1) = Shares.Split(ring, prg, x);
            var run = session.Run(
                ctx => { var y = new ulong[n]; ReluProtocol.Run(ctx, ring, x0, y, variant); return y; },
                ctx => { var y = new ulong[n]; ReluProtocol.Run(ctx, ring, x1, y, variant); return y; });
            var y = Shares.Reconstruct(ring, run.Server, run.Client);
            for (int i = 0; i < n; i++) Assert.Equal(NonLinearReference.Relu(ring, x[i]), y[i]);
            Assert.Equal(ReluProtocol.Cost(n, ring, variant), run.Cost);
            Assert.Equal(reference * n, MillionaireTests.PayloadBits(run.Cost));
        }
    }
}
