using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>Every OT flavour delivers the chosen messages, in both directions, for awkward sizes and widths.</summary>
public class OtFlavourTests
{
    public static TheoryData<int, int> WidthsAndSizes()
    {
        var data = new TheoryData<int, int>();
        foreach (int bits in new[] { 1, 8, 32, 41, 64 })
            foreach (int n in new[] { 1, 127, 1000 })
                data.Add(bits, n);
        data.Add(41, 65_537);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndSizes))]
    public void Chosen_message_ot_delivers_the_chosen_message_only(int bits, int n)
    {
        var ring = new Ring(bits);
        var data = AesPrg.FromTestSeed(10, (ulong)(bits * 100_000 + n));
        var m0 = Values(data, n, ring);
        var m1 = DifferentValues(data, m0, ring);
        var choices = Bits(data, n);
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendChosen(m0, m1, bits); return 0; },
            ctx => { var r = new ulong[n]; ctx.Ot.Receiver.ReceiveChosen(choices, bits, r); return r; });
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(choices[i] == 0 ? m0[i] : m1[i], run.Client[i]);
            Assert.NotEqual(choices[i] == 0 ? m1[i] : m0[i], run.Client[i]);
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndSizes))]
    public void Correlated_ot_gives_x0_plus_choice_times_delta(int bits, int n)
    {
        var ring = new Ring(bits);
        var data = AesPrg.FromTestSeed(11, (ulong)(bits * 100_000 + n));
        var delta = NonZeroValues(data, n, ring);
        var choices = Bits(data, n);
        var run = OtPair.Run(
            ctx => { var x0 = new ulong[n]; ctx.Ot.Sender.SendCorrelated(delta, bits, x0); return x0; },
            ctx => { var r = new ulong[n]; ctx.Ot.Receiver.ReceiveCorrelated(choices, bits, r); return r; });
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(run.Server[i], ring.Reduce(run.Server[i]));
            Assert.Equal(ring.Add(run.Server[i], choices[i] * delta[i]), run.Client[i]);
            Assert.NotEqual(ring.Add(run.Server[i], (1UL - choices[i]) * delta[i]), run.Client[i]);
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndSizes))]
    public void Random_ot_receiver_gets_the_message_of_its_random_choice(int bits, int n)
    {
        var ring = new Ring(bits);
        var run = OtPair.Run(
            ctx => { var r0 = new ulong[n]; var r1 = new ulong[n]; ctx.Ot.Sender.SendRandom(r0, r1, bits); return (r0, r1); },
            ctx => { var c = new byte[n]; var r = new ulong[n]; ctx.Ot.Receiver.ReceiveRandom(c, r, bits); return (c, r); });
        var (r0, r1) = run.Server;
        var (c, r) = run.Client;
        for (int i = 0; i < n; i++)
        {
            Assert.InRange(c[i], 0, 1);
            Assert.Equal(r0[i], ring.Reduce(r0[i]));
            Assert.Equal(c[i] == 0 ? r0[i] : r1[i], r[i]);
        }
        if (n >= 127) Assert.Contains(c, x => x == 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(1000)]
    [InlineData(65_537)]
    public void Random_cot_blocks_differ_by_the_global_delta_exactly_where_the_choice_is_one(int n)
    {
        var run = OtPair.Run(
            ctx => { var x0 = new ulong[2 * n]; ctx.Ot.Sender.SendRandomCot(x0); return (x0, ctx.Ot.Sender.GlobalDelta); },
            ctx => { var c = new byte[n]; var x = new ulong[2 * n]; ctx.Ot.Receiver.ReceiveRandomCot(c, x); return (c, x); });
        var (x0, delta) = run.Server;
        var (choices, blocks) = run.Client;
        Assert.NotEqual(UInt128.Zero, delta);
        for (int i = 0; i < n; i++)
        {
            var sent = new UInt128(x0[2 * i + 1], x0[2 * i]);
            var got = new UInt128(blocks[2 * i + 1], blocks[2 * i]);
            Assert.Equal(choices[i] == 0 ? sent : sent ^ delta, got);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 127)]
    [InlineData(16, 1000)]
    [InlineData(3, 4_099)]
    public void Packed_correlated_ot_carries_a_vector_of_values_of_per_ot_widths(int valuesPerOt, int n)
    {
        var data = AesPrg.FromTestSeed(12, (ulong)(valuesPerOt * 100_000 + n));
        var widths = new[] { 1, 8, 32, 41, 64, 7, 40 };
        var bitsPerOt = Enumerable.Range(0, n).Select(i => widths[(i * 5 + i / 3) % widths.Length]).ToArray();
        var delta = new ulong[n * valuesPerOt];
        data.Fill(delta);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < valuesPerOt; j++)
                delta[i * valuesPerOt + j] = new Ring(bitsPerOt[i]).Reduce(delta[i * valuesPerOt + j]);
        var choices = Bits(data, n);
        var run = OtPair.Run(
            ctx => { var x0 = new ulong[n * valuesPerOt]; ctx.Ot.Sender.SendCorrelatedPacked(delta, valuesPerOt, bitsPerOt, x0); return x0; },
            ctx => { var r = new ulong[n * valuesPerOt]; ctx.Ot.Receiver.ReceiveCorrelatedPacked(choices, valuesPerOt, bitsPerOt, r); return r; });
        for (int i = 0; i < n; i++)
        {
            var ring = new Ring(bitsPerOt[i]);
            for (int j = 0; j < valuesPerOt; j++)
            {
                int k = i * valuesPerOt + j;
                Assert.Equal(run.Server[k], ring.Reduce(run.Server[k]));
                Assert.Equal(ring.Add(run.Server[k], choices[i] * delta[k]), run.Client[k]);
            }
        }
        Assert.Equal(OtCosts.CorrelatedPacked(valuesPerOt, bitsPerOt).ToCost(PartyRole.Server),
            CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    public static TheoryData<int, int, int> OneOfNCases()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int n in new[] { 2, 4, 16, 256 })
            foreach (int bits in new[] { 1, 8, 32, 41, 64 })
                data.Add(n, bits, n == 256 ? 127 : 1000);
        data.Add(16, 2, 1);
        data.Add(16, 2, 65_537);
        return data;
    }

    [Theory]
    [MemberData(nameof(OneOfNCases))]
    public void One_of_n_ot_delivers_the_chosen_message_only(int n, int bits, int count)
    {
        var ring = new Ring(bits);
        var data = AesPrg.FromTestSeed(13, (ulong)(n * 1000 + bits));
        var messages = Values(data, count * n, ring);
        var choices = new byte[count];
        data.Fill(choices);
        for (int i = 0; i < count; i++) choices[i] = (byte)(choices[i] % n);
        var run = OtPair.Run(
            ctx => { ctx.Ot.Sender.SendOneOfN(messages, n, bits); return 0; },
            ctx => { var r = new ulong[count]; ctx.Ot.Receiver.ReceiveOneOfN(choices, n, bits, r); return r; });
        for (int i = 0; i < count; i++)
        {
            ulong chosen = messages[i * n + choices[i]];
            Assert.Equal(chosen, run.Client[i]);
            ulong unchosen = messages[i * n + (choices[i] + 1) % n];
            if (unchosen != chosen) Assert.NotEqual(unchosen, run.Client[i]);
        }
        Assert.Equal(OtCosts.OneOfN(count, n, bits).ToCost(PartyRole.Server), CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    [Fact]
    public void Both_directions_run_at_once_from_two_threads_per_party()
    {
        const int n = 40_000, bits = 41;
        var ring = new Ring(bits);
        var data = AesPrg.FromTestSeed(14);
        var serverDelta = Values(data, n, ring);
        var clientDelta = Values(data, n, ring);
        var serverChoices = Bits(data, n);
        var clientChoices = Bits(data, n);
        (ulong[] Sent, ulong[] Received) Party(PartyContext ctx, ulong[] delta, byte[] choices)
        {
            var x0 = new ulong[n];
            var received = new ulong[n];
            var send = Task.Run(() => ctx.Ot.Sender.SendCorrelated(delta, bits, x0));
            var receive = Task.Run(() => ctx.Ot.Receiver.ReceiveCorrelated(choices, bits, received));
            Task.WaitAll(send, receive);
            return (x0, received);
        }
        var run = OtPair.Run(ctx => Party(ctx, serverDelta, serverChoices), ctx => Party(ctx, clientDelta, clientChoices));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(ring.Add(run.Server.Sent[i], clientChoices[i] * serverDelta[i]), run.Client.Received[i]);
            Assert.Equal(ring.Add(run.Client.Sent[i], serverChoices[i] * clientDelta[i]), run.Server.Received[i]);
        }
    }

    internal static ulong[] Values(AesPrg prg, int n, Ring ring)
    {
        var v = new ulong[n];
        prg.Fill(v, ring);
        return v;
    }

    internal static ulong[] NonZeroValues(AesPrg prg, int n, Ring ring)
    {
        var v = Values(prg, n, ring);
        for (int i = 0; i < n; i++) if (v[i] == 0) v[i] = 1;
        return v;
    }

    internal static ulong[] DifferentValues(AesPrg prg, ulong[] from, Ring ring)
    {
        var flips = NonZeroValues(prg, from.Length, ring);
        return from.Select((x, i) => x ^ flips[i]).ToArray();
    }

    internal static byte[] Bits(AesPrg prg, int n)
    {
        var b = new byte[n];
        prg.FillBits(b);
        return b;
    }
}
