using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>
/// The bytes the meters count for N = 65,536 OTs equal PROTOCOLS.md per OT (base-OT setup reported apart, as
/// Phase.Setup), and equal <see cref="OtCosts"/> call for call.
/// </summary>
public class OtWireCostTests
{
    private const int N = 65_536;

    public static TheoryData<int> Widths() => [1, 8, 32, 41, 64];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Correlated_ot_costs_128_plus_l_bits_per_ot(int bits)
    {
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendCorrelated(new ulong[N], bits, new ulong[N]); return 0; },
            ctx => { ctx.Ot.Receiver.ReceiveCorrelated(new byte[N], bits, new ulong[N]); return 0; });
        AssertBitsPerOt(run, 128 + bits, OtCosts.Correlated(N, bits));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Chosen_message_ot_costs_128_plus_2l_bits_per_ot(int bits)
    {
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendChosen(new ulong[N], new ulong[N], bits); return 0; },
            ctx => { ctx.Ot.Receiver.ReceiveChosen(new byte[N], bits, new ulong[N]); return 0; });
        AssertBitsPerOt(run, 128 + 2 * bits, OtCosts.Chosen(N, bits));
    }

    [Theory]
    [InlineData(2, 41)]
    [InlineData(4, 41)]
    [InlineData(16, 2)]
    [InlineData(256, 8)]
    public void One_of_n_ot_costs_256_plus_n_l_bits_per_ot(int n, int bits)
    {
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendOneOfN(new ulong[N * n], n, bits); return 0; },
            ctx => { ctx.Ot.Receiver.ReceiveOneOfN(new byte[N], n, bits, new ulong[N]); return 0; });
        AssertBitsPerOt(run, 256 + n * bits, OtCosts.OneOfN(N, n, bits));
    }

    [Fact]
    public void Random_ot_and_random_cot_cost_128_bits_per_ot()
    {
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendRandom(new ulong[N], new ulong[N], 41); return 0; },
            ctx => { ctx.Ot.Receiver.ReceiveRandom(new byte[N], new ulong[N], 41); return 0; });
        AssertBitsPerOt(run, 128, OtCosts.Random(N));
        var cot = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendRandomCot(new ulong[2 * N]); return 0; },
            ctx => { ctx.Ot.Receiver.ReceiveRandomCot(new byte[N], new ulong[2 * N]); return 0; });
        AssertBitsPerOt(cot, 128, OtCosts.RandomCot(N));
    }

    [Fact]
    public void Packed_correlated_ot_costs_128_plus_the_packed_bits_per_ot()
    {
        const int values = 5, bits = 41;
        var widths = Enumerable.Repeat(bits, N).ToArray();
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendCorrelatedPacked(new ulong[N * values], values, widths, new ulong[N * values]); return 0; },
            ctx => { ctx.Ot.Receiver.ReceiveCorrelatedPacked(new byte[N], values, widths, new ulong[N * values]); return 0; });
        AssertBitsPerOt(run, 128 + values * bits, OtCosts.CorrelatedPacked(N, values, bits));
        Assert.Equal(OtCosts.CorrelatedPacked(N, values, bits), OtCosts.CorrelatedPacked(values, widths));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(41)]
    public void Precomputed_random_cots_cost_128_bits_ahead_and_1_plus_l_or_2l_bits_online(int bits)
    {
        var run = OtPair.Run(
            ctx =>
            {
                var batch = ctx.Ot.Sender.PrecomputeRandomCot(2 * N);
                batch.SendCorrelated(new ulong[N], bits, new ulong[N]);
                batch.SendChosen(new ulong[N], new ulong[N], bits);
                return 0;
            },
            ctx =>
            {
                var batch = ctx.Ot.Receiver.PrecomputeRandomCot(2 * N);
                batch.ReceiveCorrelated(new byte[N], bits, new ulong[N]);
                batch.ReceiveChosen(new byte[N], bits, new ulong[N]);
                return 0;
            });
        var measured = CommunicationCost.Measured(run.ServerMeter, run.ClientMeter);
        Assert.Equal(2L * N * 128 / 8, measured.PreprocessingBytes);
        Assert.Equal((long)N * (1 + bits + 1 + 2 * bits) / 8, measured.OnlineBytes);
        var predicted = OtCosts.PrecomputeRandomCot(2 * N).ToCost(PartyRole.Server, Phase.Preprocessing)
                        + OtCosts.DerandomizedCorrelated(N, bits).ToCost(PartyRole.Server)
                        + OtCosts.DerandomizedChosen(N, bits).ToCost(PartyRole.Server);
        // The precomputation ends with the receiver's send, so the meter merges it with the first online flight.
        Assert.Equal(predicted with { Rounds = predicted.Rounds - 1 }, measured);
    }

    [Theory]
    [InlineData(1, 41)]
    [InlineData(127, 1)]
    [InlineData(16_385, 7)]
    [InlineData(100_003, 41)]
    public void Cost_functions_match_the_meters_for_sizes_that_are_not_multiples_of_a_chunk(int n, int bits)
    {
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendCorrelated(new ulong[n], bits, new ulong[n]); return 0; },
            ctx => { ctx.Ot.Receiver.ReceiveCorrelated(new byte[n], bits, new ulong[n]); return 0; });
        Assert.Equal(OtCosts.Correlated(n, bits).ToCost(PartyRole.Server), CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
        Assert.Equal(16L * n + ((long)n * bits + 7) / 8, OtCosts.Correlated(n, bits).TotalBytes);
    }

    [Fact]
    public void Client_as_sender_is_booked_in_the_other_direction()
    {
        const int n = 1000, bits = 41;
        var run = OtPair.Run(
            ctx => { ctx.Ot.Receiver.ReceiveChosen(new byte[n], bits, new ulong[n]); return 0; },
            ctx => { ctx.Ot.Sender.SendChosen(new ulong[n], new ulong[n], bits); return 0; });
        var measured = CommunicationCost.Measured(run.ServerMeter, run.ClientMeter);
        Assert.Equal(OtCosts.Chosen(n, bits).ToCost(PartyRole.Client), measured);
        Assert.Equal(16L * n, measured.OnlineServerToClient);
    }

    private static void AssertBitsPerOt(TwoPartyResult<int, int> run, int bitsPerOt, OtTraffic predicted)
    {
        var measured = CommunicationCost.Measured(run.ServerMeter, run.ClientMeter);
        Assert.Equal((long)N * bitsPerOt / 8, measured.TotalBytes);
        Assert.Equal(predicted.ToCost(PartyRole.Server), measured);
        var setup = run.ServerMeter.Total(r => r.Phase == Phase.Setup).BytesSent + run.ClientMeter.Total(r => r.Phase == Phase.Setup).BytesSent;
        Assert.Equal(2 * OtCosts.BaseOtSetupBytesPerParty, setup);
    }
}
