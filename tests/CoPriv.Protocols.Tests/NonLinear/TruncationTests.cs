using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>Faithful truncation and truncate-and-reduce: bit-identical to the arithmetic shift, and their bytes.</summary>
public class TruncationTests
{
    public static TheoryData<int> RingSizes() => new() { 16, 32, 41, 64 };

    private static readonly int[] ShiftsUnderTest = [7, 11, 12];

    [Theory]
    [MemberData(nameof(RingSizes))]
    public void Faithful_truncation_equals_the_arithmetic_shift_when_the_sign_is_unknown(int bits)
    {
        var ring = new Ring(bits);
        using var session = SessionPair.Create();
        foreach (int shift in ShiftsUnderTest)
        {
            var prg = AesPrg.FromTestSeed(30, (ulong)(bits * 100 + shift));
            var x = Shares.Values(ring, prg, 400, shift);
            CheckFaithful(session, ring, shift, x, prg, MsbKnowledge.Unknown);
        }
    }

    [Theory]
    [MemberData(nameof(RingSizes))]
    public void Faithful_truncation_of_non_negative_values_equals_the_arithmetic_shift(int bits)
    {
        var ring = new Ring(bits);
        using var session = SessionPair.Create();
        foreach (int shift in ShiftsUnderTest)
        {
            var prg = AesPrg.FromTestSeed(31, (ulong)(bits * 100 + shift));
            var x = Shares.Values(ring, prg, 400, shift).Where(v => ring.Msb(v) == 0).ToArray();
            CheckFaithful(session, ring, shift, x, prg, MsbKnowledge.NonNegative);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    public void Faithful_truncation_handles_the_extreme_shifts(int shift)
    {
        var ring = new Ring(41);
        using var session = SessionPair.Create();
        var prg = AesPrg.FromTestSeed(32, (ulong)shift);
        var x = Shares.Values(ring, prg, 200, shift);
        CheckFaithful(session, ring, shift, x, prg, MsbKnowledge.Unknown);
        CheckFaithful(session, ring, shift, x.Where(v => ring.Msb(v) == 0).ToArray(), prg, MsbKnowledge.NonNegative);
    }

    [Fact]
    public void A_zero_shift_copies_the_shares_without_traffic()
    {
        var ring = new Ring(41);
        var prg = AesPrg.FromTestSeed(33);
        var x = Shares.Values(ring, prg, 50);
        var (x0, x1) = Shares.Split(ring, prg, x);
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var y = new ulong[x.Length]; FaithfulTruncation.Run(ctx, ring, 0, x0, y, MsbKnowledge.Unknown); return y; },
            ctx => { var y = new ulong[x.Length]; FaithfulTruncation.Run(ctx, ring, 0, x1, y, MsbKnowledge.Unknown); return y; });
        Assert.Equal(x, Shares.Reconstruct(ring, run.Server, run.Client));
        Assert.Equal(CommunicationCost.Zero, run.Cost);
        Assert.Equal(CommunicationCost.Zero, FaithfulTruncation.Cost(x.Length, ring, 0, MsbKnowledge.Unknown));
    }

    private static void CheckFaithful(SessionPair session, Ring ring, int shift, ulong[] x, AesPrg prg, MsbKnowledge msb)
    {
        var (x0, x1) = Shares.Split(ring, prg, x);
        int n = x.Length;
        var run = session.Run(
            ctx => { var y = new ulong[n]; FaithfulTruncation.Run(ctx, ring, shift, x0, y, msb); return y; },
            ctx => { var y = new ulong[n]; FaithfulTruncation.Run(ctx, ring, shift, x1, y, msb); return y; });
        var y = Shares.Reconstruct(ring, run.Server, run.Client);
        for (int i = 0; i < n; i++)
            Assert.True(NonLinearReference.FaithfulTruncate(ring, x[i], shift) == y[i],
                $"ℓ={ring.Bits}, s={shift}, {msb}: {ring.ToSigned(x[i])} >> {shift} came out {ring.ToSigned(y[i])}" +
                $" (shares {x0[i]}, {x1[i]})");
        Assert.Equal(FaithfulTruncation.Cost(n, ring, shift, msb), run.Cost);
    }

    [Theory]
    [MemberData(nameof(RingSizes))]
    public void Truncate_and_reduce_gives_the_top_bits_in_the_smaller_ring(int bits)
    {
        var ring = new Ring(bits);
        using var session = SessionPair.Create();
        foreach (int shift in ShiftsUnderTest)
        {
            var prg = AesPrg.FromTestSeed(34, (ulong)(bits * 100 + shift));
            var x = Shares.Values(ring, prg, 400, shift);
            var (x0, x1) = Shares.Split(ring, prg, x);
            int n = x.Length;
            var outRing = TruncateAndReduce.OutputRing(ring, shift);
            var run = session.Run(
                ctx => { var y = new ulong[n]; TruncateAndReduce.Run(ctx, ring, shift, x0, y); return y; },
                ctx => { var y = new ulong[n]; TruncateAndReduce.Run(ctx, ring, shift, x1, y); return y; });
            var y = Shares.Reconstruct(outRing, run.Server, run.Client);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(NonLinearReference.TruncateAndReduce(ring, x[i], shift), y[i]);
                // Read as signed in the smaller ring, it is the arithmetic shift of the signed value.
                Assert.Equal(ring.ToSigned(x[i]) >> shift, outRing.ToSigned(y[i]));
            }
            Assert.Equal(TruncateAndReduce.Cost(n, ring, shift), run.Cost);
        }
    }

    [Fact]
    public void Truncate_and_reduce_costs_the_reference_1318_bits_at_41_and_11()
    {
        CheckBitsPerElement(4_096, 1_318, (ctx, ring, x, y) => TruncateAndReduce.Run(ctx, ring, 11, x, y),
            n => TruncateAndReduce.Cost(n, new Ring(41), 11));
    }

    /// <summary>
    /// SCI measures ≈ 1,772 bits; knowing msb(x) = 0 publicly makes the wrap a product of the two share MSBs, one
    /// 11-bit correlated OT instead of SCI's 1-of-4 OT plus conversion: Mill(11) + 2·128 + 41 + 11 = 1,468.
    /// </summary>
    [Fact]
    public void Truncation_after_relu_costs_mill_s_plus_two_correlated_ots()
    {
        CheckBitsPerElement(4_096, 1_160 + 2 * 128 + 41 + 11,
            (ctx, ring, x, y) => FaithfulTruncation.Run(ctx, ring, 11, x, y, MsbKnowledge.NonNegative),
            n => FaithfulTruncation.Cost(n, new Ring(41), 11, MsbKnowledge.NonNegative), nonNegative: true);
    }

    /// <summary>Mill(11) + MillEq(30) + one AND + the two conversions: 1,160 + (8·288 + 14·148) + 148 + 308.</summary>
    [Fact]
    public void Truncation_with_unknown_sign_costs_the_split_comparison()
    {
        CheckBitsPerElement(4_096, 1_160 + 8 * 288 + 14 * 148 + 148 + 2 * 128 + 41 + 11,
            (ctx, ring, x, y) => FaithfulTruncation.Run(ctx, ring, 11, x, y, MsbKnowledge.Unknown),
            n => FaithfulTruncation.Cost(n, new Ring(41), 11, MsbKnowledge.Unknown));
    }

    [Fact]
    public void Truncations_at_65536_elements_cost_the_same_per_element()
    {
        CheckBitsPerElement(65_536, 1_318, (ctx, ring, x, y) => TruncateAndReduce.Run(ctx, ring, 11, x, y),
            n => TruncateAndReduce.Cost(n, new Ring(41), 11));
        CheckBitsPerElement(65_536, 1_468,
            (ctx, ring, x, y) => FaithfulTruncation.Run(ctx, ring, 11, x, y, MsbKnowledge.NonNegative),
            n => FaithfulTruncation.Cost(n, new Ring(41), 11, MsbKnowledge.NonNegative), nonNegative: true);
        CheckBitsPerElement(65_536, 5_992,
            (ctx, ring, x, y) => FaithfulTruncation.Run(ctx, ring, 11, x, y, MsbKnowledge.Unknown),
            n => FaithfulTruncation.Cost(n, new Ring(41), 11, MsbKnowledge.Unknown));
    }

    private delegate void Protocol(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> x, Span<ulong> y);

    private static void CheckBitsPerElement(int n, long expectedBits, Protocol protocol, Func<int, CommunicationCost> cost,
        bool nonNegative = false)
    {
        var ring = new Ring(41);
        var prg = AesPrg.FromTestSeed(35, (ulong)n);
        var x = new ulong[n];
        prg.Fill(x, nonNegative ? new Ring(40) : ring);
        var (x0, x1) = Shares.Split(ring, prg, x);
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var y = new ulong[n]; protocol(ctx, ring, x0, y); return y; },
            ctx => { var y = new ulong[n]; protocol(ctx, ring, x1, y); return y; });
        Assert.Equal(cost(n), run.Cost);
        Assert.Equal(expectedBits * n, MillionaireTests.PayloadBits(run.Cost));
    }
}
