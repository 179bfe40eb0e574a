using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>
/// Ferret as a session's backend: every OT flavour derived from its COTs delivers what the flavour promises, across
/// many batches (the tests' tiny parameters make a batch every 13,824 COTs), and the meters equal the cost functions
/// byte for byte and COT for COT, the batches' bytes included (booked as setup, <see cref="CotBatching"/>).
/// </summary>
public class FerretBackendTests
{
    private static readonly OtBackend Ferret = OtBackend.FerretTest;

    [Fact]
    public void Ferret_is_found_by_its_name_and_sends_one_bit_per_ot_with_one_of_n_from_cots()
    {
        Assert.Same(OtBackend.Ferret, OtBackend.Parse(" Ferret "));
        var costs = OtBackend.Ferret.Costs;
        Assert.Equal(1, costs.TwoMessageRequestBits);
        Assert.True(costs.OneOfNFromCots);
        // ferret_b13: the first main iteration runs in the setup; 10,017,120 COTs per later one.
        Assert.Equal(10_017_120, costs.Batching.PerBatch);
        Assert.Equal(1_376 + 10_017_120, costs.Batching.Available);
        Assert.Equal(0, costs.GenerationBytes(costs.Batching.Available - FerretCotBackend.LowWater));
        Assert.Equal(1_280L * (2 * 16 * 13 + 16), costs.GenerationBytes(costs.Batching.Available - FerretCotBackend.LowWater + 1));
    }

    public static TheoryData<int, int> Sizes() => new() { { 1, 41 }, { 1000, 1 }, { 65_537, 41 }, { 300_001, 64 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Chosen_and_correlated_ot_deliver_the_chosen_values_and_cost_one_bit_per_ot(int n, int bits)
    {
        var ring = new Ring(bits);
        var data = AesPrg.FromTestSeed(30, (ulong)n);
        var m0 = OtFlavourTests.Values(data, n, ring);
        var m1 = OtFlavourTests.DifferentValues(data, m0, ring);
        var delta = OtFlavourTests.NonZeroValues(data, n, ring);
        var choices = OtFlavourTests.Bits(data, n);
        var run = OtPair.Run(
            ctx =>
            {
                ctx.Ot.Sender.SendChosen(m0, m1, bits);
                var x0 = new ulong[n];
                ctx.Ot.Sender.SendCorrelated(delta, bits, x0);
                return x0;
            },
            ctx =>
            {
                var chosen = new ulong[n];
                var correlated = new ulong[n];
                ctx.Ot.Receiver.ReceiveChosen(choices, bits, chosen);
                ctx.Ot.Receiver.ReceiveCorrelated(choices, bits, correlated);
                return (chosen, correlated);
            },
            otBackend: Ferret);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(choices[i] == 0 ? m0[i] : m1[i], run.Client.chosen[i]);
            Assert.Equal(ring.Add(run.Server[i], choices[i] * delta[i]), run.Client.correlated[i]);
            Assert.NotEqual(ring.Add(run.Server[i], (1UL - choices[i]) * delta[i]), run.Client.correlated[i]);
        }
        var costs = Ferret.Costs;
        var predicted = costs.Chosen(n, bits).ToCost(PartyRole.Server) + costs.Correlated(n, bits).ToCost(PartyRole.Server);
        Assert.Equal(predicted, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
        Assert.Equal(2L * ((n + 7) / 8), predicted.OnlineClientToServer);
        Assert.Equal(2L * n, predicted.ServerSentCots);
        AssertSetup(run, serverCots: 2L * n, clientCots: 0);
    }

    [Theory]
    [InlineData(2, 41, 1000)]
    [InlineData(3, 8, 777)]
    [InlineData(16, 2, 1)]
    [InlineData(16, 2, 40_001)]
    [InlineData(16, 64, 1000)]
    [InlineData(256, 7, 300)]
    public void One_of_n_ot_from_log_n_cots_delivers_the_chosen_message_only(int n, int bits, int count)
    {
        var ring = new Ring(bits);
        var data = AesPrg.FromTestSeed(31, (ulong)(n * 1000 + bits));
        var messages = OtFlavourTests.Values(data, count * n, ring);
        var digits = new byte[count];
        data.Fill(digits);
        for (int i = 0; i < count; i++) digits[i] = (byte)(digits[i] % n);
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendOneOfN(messages, n, bits); return 0; },
            ctx => { var r = new ulong[count]; ctx.Ot.Receiver.ReceiveOneOfN(digits, n, bits, r); return r; },
            otBackend: Ferret);
        int wrong = 0;
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(messages[i * n + digits[i]], run.Client[i]);
            // The pads of the other messages are independent of the chosen one: they rarely match by chance.
            for (int v = 0; v < n; v++)
                if (v != digits[i] && messages[i * n + v] != run.Client[i]) wrong++;
        }
        Assert.True(count < 10 || wrong > 0);
        int digitBits = OtArguments.DigitBits(n);
        var predicted = Ferret.Costs.OneOfN(count, n, bits);
        Assert.Equal((long)count * digitBits, predicted.Cots);
        Assert.Equal(((long)count * digitBits + 7) / 8, predicted.ReceiverBytes);
        Assert.Equal(predicted.ToCost(PartyRole.Server), CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
        AssertSetup(run, serverCots: (long)count * digitBits, clientCots: 0);
    }

    [Fact]
    public void Random_cots_precomputed_ots_and_both_directions_at_once_stay_in_step_across_batches()
    {
        const int n = 50_000, bits = 41;
        var ring = new Ring(bits);
        var data = AesPrg.FromTestSeed(32);
        var serverDelta = OtFlavourTests.Values(data, n, ring);
        var clientDelta = OtFlavourTests.Values(data, n, ring);
        var serverChoices = OtFlavourTests.Bits(data, n);
        var clientChoices = OtFlavourTests.Bits(data, n);
        (ulong[] Sent, ulong[] Received, ulong[] Rows, UInt128 Delta, byte[] RandomChoices, ulong[] RandomRows, ulong[] Pre, ulong[] PreReceived)
            Party(PartyContext ctx, ulong[] delta, byte[] choices)
        {
            var x0 = new ulong[n];
            var received = new ulong[n];
            // Three rounds of calls in both directions at once, from two threads, each crossing batches.
            for (int round = 0; round < 3; round++)
            {
                var send = Task.Run(() => ctx.Ot.Sender.SendCorrelated(delta, bits, x0));
                var receive = Task.Run(() => ctx.Ot.Receiver.ReceiveCorrelated(choices, bits, received));
                Task.WaitAll(send, receive);
            }
            var rows = new ulong[2 * n];
            var randomChoices = new byte[n];
            var randomRows = new ulong[2 * n];
            var pre = new ulong[n];
            var preReceived = new ulong[n];
            if (ctx.Role == PartyRole.Server)
            {
                ctx.Ot.Sender.SendRandomCot(rows);
                ctx.Ot.Sender.PrecomputeRandomCot(n).SendCorrelated(delta, bits, pre);
            }
            else
            {
                ctx.Ot.Receiver.ReceiveRandomCot(randomChoices, randomRows);
                ctx.Ot.Receiver.PrecomputeRandomCot(n).ReceiveCorrelated(choices, bits, preReceived);
            }
            return (x0, received, rows, ctx.Ot.Sender.GlobalDelta, randomChoices, randomRows, pre, preReceived);
        }
        var run = OtPair.Run(ctx => Party(ctx, serverDelta, serverChoices), ctx => Party(ctx, clientDelta, clientChoices), otBackend: Ferret);
        var s = run.Server;
        var c = run.Client;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(ring.Add(s.Sent[i], clientChoices[i] * serverDelta[i]), c.Received[i]);
            Assert.Equal(ring.Add(c.Sent[i], serverChoices[i] * clientDelta[i]), s.Received[i]);
            var sent = new UInt128(s.Rows[2 * i + 1], s.Rows[2 * i]);
            Assert.Equal(c.RandomChoices[i] == 0 ? sent : sent ^ s.Delta, new UInt128(c.RandomRows[2 * i + 1], c.RandomRows[2 * i]));
            Assert.Equal(ring.Add(s.Pre[i], clientChoices[i] * serverDelta[i]), c.PreReceived[i]);
        }
        Assert.Contains(c.RandomChoices, x => x == 1);
        Assert.Contains(c.RandomChoices, x => x == 0);
        // Random COTs take Ferret's own choices: nothing on the wire for them, not even a round.
        Assert.Equal(new OtTraffic(0, 0, 0, n), Ferret.Costs.RandomCot(n));
        var costs = Ferret.Costs;
        var predicted = (costs.Correlated(n, bits).ToCost(PartyRole.Server) + costs.Correlated(n, bits).ToCost(PartyRole.Client)).Times(3)
            + costs.RandomCot(n).ToCost(PartyRole.Server) + costs.PrecomputeRandomCot(n).ToCost(PartyRole.Server, Phase.Preprocessing)
            + costs.DerandomizedCorrelated(n, bits).ToCost(PartyRole.Server);
        Assert.Equal(predicted, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
        long serverCots = 3L * n + n + n, clientCots = 3L * n;
        AssertSetup(run, serverCots, clientCots);
    }

    [Fact]
    public void Cots_prepared_by_the_cost_functions_counts_leave_no_iteration_inside_the_relu_that_takes_them()
    {
        const int n = 3_000;
        var ring = new Ring(41);
        var data = AesPrg.FromTestSeed(33);
        var x = OtFlavourTests.Values(data, n, ring);
        var x0 = OtFlavourTests.Values(data, n, ring);
        var x1 = new ulong[n];
        ring.Sub(x, x0, x1);
        var cost = ReluProtocol.Cost(n, ring, otCosts: Ferret.Costs);
        // Several test batches per call, so that an unprepared call would iterate inside it.
        Assert.True(cost.ServerSentCots > 2 * Ferret.Costs.Batching.PerBatch);
        Assert.True(cost.ClientSentCots > 2 * Ferret.Costs.Batching.PerBatch);
        (ulong[] Y, long PreparedSetup, long SetupAfter) Party(PartyContext ctx, ulong[] share)
        {
            bool server = ctx.Role == PartyRole.Server;
            var y = new ulong[n];
            ReluProtocol.Run(ctx, ring, share, y);
            ctx.Ot.PrepareCots((int)(server ? cost.ServerSentCots : cost.ClientSentCots),
                (int)(server ? cost.ClientSentCots : cost.ServerSentCots));
            long prepared = ctx.Channel.Meter.Total(r => r.Phase == Phase.Setup).BytesSent;
            // Prepared twice: the second call finds the COTs there and makes none.
            ctx.Ot.PrepareCots((int)(server ? cost.ServerSentCots : cost.ClientSentCots),
                (int)(server ? cost.ClientSentCots : cost.ServerSentCots));
            Assert.Equal(prepared, ctx.Channel.Meter.Total(r => r.Phase == Phase.Setup).BytesSent);
            ReluProtocol.Run(ctx, ring, share, y);
            return (y, prepared, ctx.Channel.Meter.Total(r => r.Phase == Phase.Setup).BytesSent);
        }
        var run = OtPair.Run(ctx => Party(ctx, x0), ctx => Party(ctx, x1), otBackend: Ferret);
        for (int i = 0; i < n; i++)
            Assert.Equal(NonLinearReference.Relu(ring, x[i]), ring.Add(run.Server.Y[i], run.Client.Y[i]));
        // Every batch of the second call was made before it: no generation byte inside it, on either side.
        Assert.Equal(run.Server.PreparedSetup, run.Server.SetupAfter);
        Assert.Equal(run.Client.PreparedSetup, run.Client.SetupAfter);
        // And preparing moves iterations earlier without adding any: the same batches as two unprepared calls.
        AssertSetup(run, serverCots: 2 * cost.ServerSentCots, clientCots: 2 * cost.ClientSentCots);
    }

    [Fact]
    public void Preparing_is_free_under_iknp_and_bounded_under_ferret()
    {
        var run = OtPair.Run(
            ctx =>
            {
                long before = ctx.Channel.Meter.Total().BytesSent;
                ctx.Ot.PrepareCots(1_000_000, 1_000_000);
                return ctx.Channel.Meter.Total().BytesSent - before;
            },
            ctx =>
            {
                long before = ctx.Channel.Meter.Total().BytesSent;
                ctx.Ot.PrepareCots(1_000_000, 1_000_000);
                return ctx.Channel.Meter.Total().BytesSent - before;
            });
        Assert.Equal(0, run.Server);
        Assert.Equal(0, run.Client);
        var refused = OtPair.Run(
            ctx => Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Ot.PrepareCots(FerretCotBackend.MaxPrepared + 1, 0)).Message,
            ctx => Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Ot.PrepareCots(-1, 0)).Message,
            otBackend: Ferret);
        Assert.Contains("at most 33,554,432 COTs ahead", refused.Server);
    }

    [Fact]
    public void A_peer_with_the_other_backend_is_refused_at_setup()
    {
        var (s, c) = InMemoryChannel.CreatePair(TimeSpan.FromSeconds(5));
        var error = Assert.ThrowsAny<Exception>(() => TwoPartyRunner.Run(s, c,
            ch => PartyContext.Create(ch, AesPrg.FromTestSeed(1, 1), OtBackend.Iknp).Role,
            ch => PartyContext.Create(ch, AesPrg.FromTestSeed(1, 2), Ferret).Role));
        Assert.NotNull(error);
    }

    /// <summary>
    /// Each party's setup traffic: the backend's setup, then the batches its sender made for the COTs it sent; the
    /// batches add no round (the sender never waits on that stream).
    /// </summary>
    private static void AssertSetup<TS, TC>(TwoPartyResult<TS, TC> run, long serverCots, long clientCots)
    {
        var costs = Ferret.Costs;
        var serverSetup = run.ServerMeter.Total(r => r.Phase == Phase.Setup);
        var clientSetup = run.ClientMeter.Total(r => r.Phase == Phase.Setup);
        Assert.Equal(costs.SetupBytesPerParty + costs.GenerationBytes(serverCots), serverSetup.BytesSent);
        Assert.Equal(costs.SetupBytesPerParty + costs.GenerationBytes(clientCots), clientSetup.BytesSent);
        Assert.Equal(costs.SetupRounds, serverSetup.Rounds + clientSetup.Rounds);
    }
}
