using System.Numerics;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The OT core's cutting of a product into OT calls, its shifted sums and its own argument checks. Every other test's
/// product fits in one call and is built by <see cref="OtMatMul"/>, which checks sizes first, so mutation testing
/// found the batch plan, the per-batch correlations of a row too long for one call and the core's checks unpinned.
/// </summary>
public class CorrelatedMatMulBatchingTests
{
    private const int MaxValues = 1 << 22, MaxOts = 1 << 18;

    /// <summary>
    /// Expected entries per call, worked out by hand from the rule: whole rows of R while a row fits in one call
    /// (≤ 2^18 OTs, ≤ 2^22 values), as many rows as both limits allow; otherwise as many single entries as fit.
    /// </summary>
    [Theory]
    [InlineData(3, 4, 5, 41, 12)]             // everything in one call
    [InlineData(100, 1000, 1, 41, 6000)]      // rows of 41,000 OTs: 6 rows per call (the OT limit binds)
    [InlineData(100, 10, 10000, 41, 10)]      // a row of 4,100,000 values: 1 row per call (the value limit binds)
    [InlineData(2, 10000, 1, 41, 6393)]       // a row of 410,000 OTs does not fit: ⌊2^18/41⌋ entries
    [InlineData(2, 10000, 1000, 41, 102)]     // nor one of 4.1e8 values: ⌊2^22/41,000⌋ entries
    public void Calls_hold_as_many_whole_rows_as_both_limits_allow_else_as_many_entries(int p, int n, int m, int bits, int expected)
    {
        var plan = CorrelatedMatMul.Plan(p, n, m, bits);

        Assert.Equal(expected, plan.EntriesPerBatch);
        Assert.Equal((long)p * n, plan.Entries);
        Assert.True((long)plan.EntriesPerBatch * bits <= MaxOts);
        Assert.True((long)plan.EntriesPerBatch * bits * m <= MaxValues);
    }

    /// <summary>
    /// The server receives with B = 1 (every weight −1): a row of 2^18 + 1 entries is one OT too many for a call, so
    /// the sender's correlations change from call to call. The last call's single entry must carry row 2^18 of the
    /// client's share, not row 0 of the first call's pattern.
    /// </summary>
    [Fact]
    public void A_row_longer_than_one_call_gives_the_exact_product_and_its_cost()
    {
        var ring = new Ring(41);
        int n = MaxOts + 1;
        var shape = new MatMulShape(1, n, 1);
        var a = Enumerable.Repeat(ring.Mask, n).ToArray();
        var b = LinearTestData.Uniform(ring, n, 71);
        var (b0, b1) = LinearHarness.Share(ring, b, 72);

        var run = TwoPartyRunner.Run(
            ch =>
            {
                var c0 = new ulong[1];
                using (ch.Meter.InPhase(Phase.Preprocessing))
                    OtMatMul.RunServer(PartyContext.Create(ch, AesPrg.FromTestSeed(73, 0)), ring, shape, OtOrientation.ServerReceives, a, b0, c0, weightBits: 1);
                return c0;
            },
            ch =>
            {
                var c1 = new ulong[1];
                using (ch.Meter.InPhase(Phase.Preprocessing))
                    OtMatMul.RunClient(PartyContext.Create(ch, AesPrg.FromTestSeed(73, 1)), ring, shape, OtOrientation.ServerReceives, b1, c1, weightBits: 1);
                return c1;
            });

        ulong negatedSum = 0;
        foreach (ulong v in b) negatedSum -= v;
        Assert.Equal(negatedSum & ring.Mask, ring.Add(run.Server[0], run.Client[0]));
        var plan = CorrelatedMatMul.Plan(1, n, 1, 1);
        Assert.Equal((1L, 1), (plan.FullBatches, plan.LastBatchEntries));
        Assert.Equal(OtMatMul.RunCost(OtBackend.Iknp.Costs, shape, 41, OtOrientation.ServerReceives, Phase.Preprocessing, weightBits: 1),
            CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    /// <summary>
    /// acc[i] += Σ_{k&lt;B−1} 2^k·v[k, i] − 2^{B−1}·v[B−1, i] mod 2^64, against the formula in BigInteger, for row lengths
    /// below, at and between the 256- and 512-bit vector widths (4 and 8 values), so every vector path and the scalar tail
    /// run with more than one vector where the machine has them.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 41)]
    [InlineData(7, 41)]
    [InlineData(8, 64)]
    [InlineData(13, 41)]
    [InlineData(16, 5)]
    [InlineData(21, 64)]
    public void Shifted_sums_weigh_each_row_by_its_bit_and_the_top_row_negatively(int m, int bits)
    {
        var prg = AesPrg.FromTestSeed(74, (ulong)(m * 100 + bits));
        var values = new ulong[bits * m];
        var acc = new ulong[m];
        for (int i = 0; i < values.Length; i++) values[i] = prg.NextUInt64();
        for (int i = 0; i < m; i++) acc[i] = prg.NextUInt64();
        var expected = new ulong[m];
        var modulus = BigInteger.One << 64;
        for (int i = 0; i < m; i++)
        {
            BigInteger sum = acc[i];
            for (int k = 0; k < bits; k++)
            {
                BigInteger term = (BigInteger)values[k * m + i] << k;
                sum += k == bits - 1 ? -term : term;
            }
            expected[i] = (ulong)(((sum % modulus) + modulus) % modulus);
        }

        CorrelatedMatMul.AddShiftedSum(values, m, bits, acc);

        Assert.Equal(expected, acc);
    }

    /// <summary>Spans one short of what the call needs sit inside longer arrays, so a missing check cannot write past them.</summary>
    [Theory]
    [InlineData("bits", "0 rows")]
    [InlineData("values", "do not hold 3 rows of 5")]
    [InlineData("acc", "do not hold 3 rows of 5")]
    public void Shifted_sums_refuse_spans_that_do_not_hold_the_rows(string shortOne, string expected)
    {
        int m = 5, bits = shortOne == "bits" ? 0 : 3;
        var values = new ulong[3 * m + 1];
        var acc = new ulong[m + 1];
        var e = Assert.Throws<ArgumentException>(() => CorrelatedMatMul.AddShiftedSum(
            values.AsSpan(0, shortOne == "values" ? bits * m - 1 : bits * m), m, bits, acc.AsSpan(0, shortOne == "acc" ? m - 1 : m)));
        Assert.Contains(expected, e.Message);
    }

    /// <summary>
    /// The core refuses wrong sizes and widths itself, before any OT (no OT session is passed at all), with the
    /// messages of its own checks; each case is one wrong argument.
    /// </summary>
    [Theory]
    [InlineData("sender", "matrix", "the sender's matrix has 21 elements, expected 20")]
    [InlineData("sender", "share", "the share of the product has 16 elements, expected 15")]
    [InlineData("sender", "bits0", "must be 1 to ℓ = 16 bits wide, got B = 0")]
    [InlineData("sender", "bits17", "must be 1 to ℓ = 16 bits wide, got B = 17")]
    [InlineData("receiver", "matrix", "the receiver's matrix has 13 elements, expected 12")]
    [InlineData("receiver", "share", "the share of the product has 16 elements, expected 15")]
    [InlineData("receiver", "bits0", "must be 1 to ℓ = 16 bits wide, got B = 0")]
    [InlineData("receiver", "bits17", "must be 1 to ℓ = 16 bits wide, got B = 17")]
    public void The_core_refuses_a_wrong_size_or_width_before_any_OT(string side, string wrong, string expected)
    {
        var ring = new Ring(16);
        int p = 3, n = 4, m = 5;
        int bits = wrong switch { "bits0" => 0, "bits17" => 17, _ => 16 };
        var share = new ulong[p * m + (wrong == "share" ? 1 : 0)];
        var e = Assert.Throws<ArgumentException>(() =>
        {
            if (side == "sender")
                CorrelatedMatMul.RunSender(null!, ring, new ulong[n * m + (wrong == "matrix" ? 1 : 0)], p, n, m, bits, share);
            else
                CorrelatedMatMul.RunReceiver(null!, ring, new ulong[p * n + (wrong == "matrix" ? 1 : 0)], p, n, m, bits, share);
        });
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(42)]
    public void The_cost_of_a_width_outside_1_to_ell_is_refused(int bits)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            CorrelatedMatMul.Cost(OtBackend.Iknp.Costs, 2, 3, 4, 41, bits, PartyRole.Server, Phase.Preprocessing));
        Assert.Contains($"got B = {bits}", e.Message);
    }
}
