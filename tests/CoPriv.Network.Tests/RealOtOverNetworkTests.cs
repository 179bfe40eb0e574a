using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Network.Tests.Tcp;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;
using Xunit.Abstractions;

namespace CoPriv.Network.Tests;

/// <summary>The OT extension of the ot room, run as a real protocol over the simulated link and the TCP data plane.</summary>
public class RealOtOverNetworkTests(ITestOutputHelper output)
{
    private const int Count = 50_000;
    private const int Bits = 32;

    [Fact]
    public void Chosen_ot_over_a_simulated_wan_is_correct_and_never_faster_than_its_traffic_allows()
    {
        var link = LinkPresets.Wan;
        var run = NetworkRun.Simulate(link, ch => ServerSends(ch), ch => ClientChooses(ch));

        Assert.Equal(run.Server.Expected, run.Client);
        output.WriteLine($"{Count} chosen OTs of {Bits} bits with setup on {link}: simulated {run.Latency.TotalMilliseconds:0.0} ms " +
            $"(server compute {run.ServerTiming!.ComputeTime.TotalMilliseconds:0.0} ms, client {run.ClientTiming!.ComputeTime.TotalMilliseconds:0.0} ms), " +
            $"wall {run.WallTime.TotalMilliseconds:0} ms");
        var online = OtCosts.Chosen(Count, Bits);
        Assert.Equal(online.ToCost(PartyRole.Server), CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
        Assert.True(run.Latency >= link.SequentialLowerBound(online.TotalBytes, online.Rounds));
        long toServer = run.ClientMeter.Total().BytesSent, toClient = run.ServerMeter.Total().BytesSent;
        Assert.True(run.Latency >= link.SequentialLowerBound(Math.Max(toServer, toClient), 1));
    }

    [Fact]
    public void Driving_both_ot_directions_at_once_overlaps_them_in_simulated_time()
    {
        // A long round trip, so that what overlapping saves (one one-way latency) dwarfs the noise in the parties'
        // measured compute, which four busy threads on two cores inflate now and then.
        var link = LinkModel.FromRoundTrip("satellite", Bandwidth.Parse("400mbit"), TimeSpan.FromSeconds(2));
        var sequential = NetworkRun.Simulate(link, ch => BothDirections(ch, concurrently: false), ch => BothDirections(ch, concurrently: false));
        var concurrent = NetworkRun.Simulate(link, ch => BothDirections(ch, concurrently: true), ch => BothDirections(ch, concurrently: true));

        Assert.Equal(CommunicationCost.Measured(sequential.ServerMeter, sequential.ClientMeter).TotalBytes,
            CommunicationCost.Measured(concurrent.ServerMeter, concurrent.ClientMeter).TotalBytes);
        output.WriteLine($"one chosen-OT call each way on {link}: sequential {sequential.Latency.TotalMilliseconds:0.0} ms, " +
            $"from two threads {concurrent.Latency.TotalMilliseconds:0.0} ms");
        var oneCall = OtCosts.Chosen(Count, Bits);
        Assert.True(concurrent.Latency >= link.SequentialLowerBound(oneCall.TotalBytes, oneCall.Rounds));
        // One after the other the second call starts when the first one's last reply leaves, three one-way latencies
        // in all; at once both calls' requests cross together, two. Half of that saved latency is the margin.
        Assert.True(concurrent.Latency < sequential.Latency - link.RoundTripTime / 4,
            $"concurrent {concurrent.Latency}, sequential {sequential.Latency}");
    }

    [Fact]
    public async Task Chosen_ot_over_tcp_is_correct_and_puts_the_same_bytes_on_the_wire()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync();
        var overTcp = TwoPartyRunner.Run(server, client, ch => ServerSends(ch), ch => ClientChooses(ch));
        var inMemory = TwoPartyRunner.Run(ch => ServerSends(ch), ch => ClientChooses(ch));

        Assert.Equal(overTcp.Server.Expected, overTcp.Client);
        Assert.Equal(CommunicationCost.Measured(inMemory.ServerMeter, inMemory.ClientMeter),
            CommunicationCost.Measured(overTcp.ServerMeter, overTcp.ClientMeter));
        Assert.Equal(inMemory.ServerMeter.Total(r => r.Phase == Phase.Setup).BytesSent,
            overTcp.ServerMeter.Total(r => r.Phase == Phase.Setup).BytesSent);
    }

    private sealed record SenderView(ulong[] Expected);

    /// <summary>The server offers two messages per OT and knows which one a client with the test's choices gets.</summary>
    private static SenderView ServerSends(IChannel channel)
    {
        var ctx = PartyContext.Create(channel, AesPrg.FromTestSeed(7, 1));
        var (m0, m1) = (new ulong[Count], new ulong[Count]);
        var data = AesPrg.FromTestSeed(7, 3);
        data.Fill(m0, new Ring(Bits));
        data.Fill(m1, new Ring(Bits));
        ctx.Ot.Sender.SendChosen(m0, m1, Bits);
        var choices = Choices();
        return new SenderView(Enumerable.Range(0, Count).Select(i => choices[i] == 0 ? m0[i] : m1[i]).ToArray());
    }

    private static ulong[] ClientChooses(IChannel channel)
    {
        var ctx = PartyContext.Create(channel, AesPrg.FromTestSeed(7, 2));
        var result = new ulong[Count];
        ctx.Ot.Receiver.ReceiveChosen(Choices(), Bits, result);
        return result;
    }

    /// <summary>One chosen-OT call in each direction, one after the other or from two threads at once.</summary>
    private static int BothDirections(IChannel channel, bool concurrently)
    {
        var ctx = PartyContext.Create(channel, AesPrg.FromTestSeed(8, (ulong)channel.Role + 1));
        var messages = new ulong[Count];
        var result = new ulong[Count];
        var choices = Choices();
        Action send = () => ctx.Ot.Sender.SendChosen(messages, messages, Bits);
        Action receive = () => ctx.Ot.Receiver.ReceiveChosen(choices, Bits, result);
        var (first, second) = channel.Role == PartyRole.Server ? (send, receive) : (receive, send);
        if (concurrently) Synthetic.Concurrently(first, second);
        else
        {
            first();
            second();
        }
        return 0;
    }

    private static byte[] Choices()
    {
        var choices = new byte[Count];
        AesPrg.FromTestSeed(7, 4).FillBits(choices);
        return choices;
    }
}
