using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tests.Simulation;

public class SimulatedLinkTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void Ping_pong_costs_one_round_trip_and_both_transmissions_per_round()
    {
        var link = LinkPresets.Wan;
        var run = NetworkRun.Simulate(link,
            ch => { Synthetic.PingPong(ch.Stream("p"), PartyRole.Server, 10, 5000); return 0; },
            ch => { Synthetic.PingPong(ch.Stream("p"), PartyRole.Client, 10, 5000); return 0; });

        var bound = link.SequentialLowerBound(2 * 10 * 5000, 20);
        Assert.Equal(0.4 + 20 * 5000 / 50e6, bound.TotalSeconds, 9);
        AssertWithin(run, bound);
        Assert.Equal(NetworkMode.Simulate, run.Mode);
    }

    [Fact]
    public void Simulation_reports_the_link_delays_of_every_round_trip()
    {
        var run = NetworkRun.Simulate(LinkPresets.Wan,
            ch => { Synthetic.PingPong(ch.Stream("p"), PartyRole.Server, 30, 64); return 0; },
            ch => { Synthetic.PingPong(ch.Stream("p"), PartyRole.Client, 30, 64); return 0; });
        Assert.True(run.Latency >= TimeSpan.FromSeconds(1.2), $"simulated {run.Latency}");
    }

    [Theory]
    [InlineData("lan", 1)]
    [InlineData("wan", 2)]
    [InlineData("lan-cf2", 3)]
    [InlineData("custom", 4)]
    public void Sequential_exchanges_never_beat_the_bound_and_exceed_it_only_by_compute(string linkName, int seed)
    {
        var link = linkName == "custom" ? LinkModel.Parse("custom", "10mbit", "5ms") : LinkPresets.Get(linkName);
        var random = new Random(seed);
        for (int trial = 0; trial < 3; trial++)
        {
            var flights = Synthetic.RandomFlights(random, random.Next(1, 25), 100_000);
            var run = NetworkRun.Simulate(link,
                ch => { Synthetic.Exchange(ch.Stream("x"), PartyRole.Server, flights); return 0; },
                ch => { Synthetic.Exchange(ch.Stream("x"), PartyRole.Client, flights); return 0; });

            long bytes = flights.Sum(f => f.Sum(m => (long)m));
            long rounds = run.ServerMeter.Total().Rounds + run.ClientMeter.Total().Rounds;
            Assert.Equal(flights.Count, rounds);
            AssertWithin(run, link.SequentialLowerBound(bytes, flights.Count));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Concurrent_streams_respect_each_stream_bound_and_each_direction_volume(bool parallelInvoke)
    {
        var link = LinkModel.Parse("custom", "50mbit", "10ms");
        var random = new Random(parallelInvoke ? 11 : 12);
        // Parallel.Invoke runs branches on the thread pool; two keep it from starving while branches block.
        var plans = Enumerable.Range(0, parallelInvoke ? 2 : 3).Select(_ => Synthetic.RandomFlights(random, random.Next(2, 12), 60_000)).ToList();

        void Party(IChannel ch)
        {
            var branches = plans.Select((flights, i) => (Action)(() =>
                Synthetic.Exchange(ch.Stream($"s{i}"), ch.Role, flights))).ToArray();
            if (parallelInvoke) Parallel.Invoke(branches);
            else Synthetic.Concurrently(branches);
        }

        var run = NetworkRun.Simulate(link, ch => { Party(ch); return 0; }, ch => { Party(ch); return 0; });

        foreach (var flights in plans)
            Assert.True(run.Latency >= link.SequentialLowerBound(flights.Sum(f => f.Sum(m => (long)m)), flights.Count) - Tick);
        long toClient = plans.Sum(p => p.Where((_, f) => f % 2 == 0).Sum(f => f.Sum(m => (long)m)));
        long toServer = plans.Sum(p => p.Where((_, f) => f % 2 == 1).Sum(f => f.Sum(m => (long)m)));
        Assert.Equal(toClient, run.ServerMeter.Total().BytesSent);
        Assert.Equal(toServer, run.ClientMeter.Total().BytesSent);
        Assert.True(run.Latency >= link.SequentialLowerBound(Math.Max(toClient, toServer), 1) - Tick);
    }

    [Fact]
    public void Ping_pongs_on_concurrent_streams_overlap_their_round_trips()
    {
        const int rounds = 10;
        void Party(IChannel ch) =>
            Synthetic.Concurrently(() => Synthetic.PingPong(ch.Stream("a"), ch.Role, rounds, 64),
                         () => Synthetic.PingPong(ch.Stream("b"), ch.Role, rounds, 64));

        var run = NetworkRun.Simulate(LinkPresets.Wan, ch => { Party(ch); return 0; }, ch => { Party(ch); return 0; });

        var oneStream = LinkPresets.Wan.SequentialLowerBound(2 * rounds * 64, 2 * rounds);
        Assert.True(run.Latency >= oneStream);
        Assert.True(run.Latency < oneStream * 1.2, $"{run.Latency} for two concurrent streams, {oneStream} for one");
    }

    [Fact]
    public void After_joining_its_helpers_a_party_sends_no_earlier_than_their_last_receive()
    {
        var link = LinkPresets.Wan;
        void Party(IChannel ch)
        {
            Synthetic.Concurrently(() => Synthetic.PingPong(ch.Stream("long"), ch.Role, 6, 64),
                         () => Synthetic.PingPong(ch.Stream("short"), ch.Role, 1, 64));
            Synthetic.PingPong(ch.Stream("after"), ch.Role, 1, 64);
        }

        var run = NetworkRun.Simulate(link, ch => { Party(ch); return 0; }, ch => { Party(ch); return 0; });

        // The final ping-pong depends on the longer helper: 6 + 1 round trips in sequence.
        Assert.True(run.Latency >= link.SequentialLowerBound(14 * 64, 14) - Tick, $"{run.Latency}");
        Assert.True(run.Latency < link.SequentialLowerBound(14 * 64, 14) + TimeSpan.FromMilliseconds(30), $"{run.Latency}");
    }

    [Fact]
    public void A_stream_handed_to_a_flow_that_started_earlier_keeps_its_order_in_time()
    {
        var link = LinkPresets.Wan;
        void Party(IChannel ch)
        {
            using var parentDone = new ManualResetEventSlim();
            // The helper is forked at time 0 and idles (no compute) until the parent has used the stream.
            var helper = Task.Factory.StartNew(() =>
            {
                parentDone.Wait();
                Synthetic.PingPong(ch.Stream("x"), ch.Role, 1, 64);
            }, TaskCreationOptions.LongRunning);
            Synthetic.PingPong(ch.Stream("x"), ch.Role, 3, 64);
            parentDone.Set();
            helper.Wait();
        }

        var run = NetworkRun.Simulate(link, ch => { Party(ch); return 0; }, ch => { Party(ch); return 0; });
        Assert.True(run.Latency >= link.SequentialLowerBound(8 * 64, 8) - Tick, $"{run.Latency}");
    }

    [Fact]
    public void Concurrent_bulk_transfers_in_one_direction_share_the_bandwidth()
    {
        var link = LinkModel.Parse("custom", "100mbit", "1ms");
        const long each = 2_000_000;
        void Party(IChannel ch) =>
            Synthetic.Concurrently(() => Synthetic.Bulk(ch.Stream("a"), ch.Role == PartyRole.Server, each, 65536),
                         () => Synthetic.Bulk(ch.Stream("b"), ch.Role == PartyRole.Server, each, 65536));

        var run = NetworkRun.Simulate(link, ch => { Party(ch); return 0; }, ch => { Party(ch); return 0; });

        var shared = link.SequentialLowerBound(2 * each, 1);
        Assert.True(run.Latency >= shared, $"{run.Latency} < {shared}");
        Assert.True(run.Latency < shared + TimeSpan.FromMilliseconds(30), $"{run.Latency}");
    }

    [Fact]
    public void Compute_between_operations_advances_the_party_clock()
    {
        var link = LinkPresets.Lan;
        var compute = TimeSpan.FromMilliseconds(25);
        var run = NetworkRun.Simulate(link,
            ch =>
            {
                var s = ch.Stream("c");
                var buffer = new byte[8];
                for (int i = 0; i < 2; i++)
                {
                    Synthetic.Compute(compute);
                    Synthetic.Fill(buffer, i);
                    s.Send(buffer);
                    s.Receive(buffer);
                }
                return 0;
            },
            ch => { Synthetic.PingPong(ch.Stream("c"), PartyRole.Client, 2, 8); return 0; });

        Assert.True(run.ServerTiming!.ComputeTime >= 2 * compute);
        Assert.True(run.Latency >= 2 * compute + link.SequentialLowerBound(32, 4));
        Assert.True(run.Latency <= link.SequentialLowerBound(32, 4) + run.ServerTiming.ComputeTime + run.ClientTiming!.ComputeTime + Tick);
        Assert.True(run.ServerTiming.WaitTime > TimeSpan.Zero);
    }

    [Theory]
    [InlineData(ComputeTimer.ThreadCpu)]
    [InlineData(ComputeTimer.Wall)]
    public void Only_the_wall_timer_counts_time_a_party_spends_blocked_outside_the_channel(ComputeTimer timer)
    {
        var sleep = TimeSpan.FromMilliseconds(150);
        var run = NetworkRun.Simulate(LinkPresets.Unlimited,
            ch => { Synthetic.PingPong(ch.Stream("s"), PartyRole.Server, 1, 8); return 0; },
            ch =>
            {
                var s = ch.Stream("s");
                var buffer = new byte[8];
                s.Receive(buffer);
                Thread.Sleep(sleep);
                s.Send(buffer);
                return 0;
            },
            timer);

        // Thread CPU time leaves the sleep out (the run then costs far less than it); the wall timer counts it.
        if (timer == ComputeTimer.ThreadCpu) Assert.True(run.Latency < sleep, $"{run.Latency}");
        else Assert.True(run.Latency >= sleep, $"{run.Latency}");
    }

    [Fact]
    public void Traffic_is_metered_as_on_every_other_channel()
    {
        var run = NetworkRun.Simulate(LinkPresets.Lan,
            ch => { using (ch.Meter.Enter("layer-01", "bulk")) Synthetic.Bulk(ch.Stream("b"), true, 300_000, 65536); return 0; },
            ch => { using (ch.Meter.Enter("layer-01", "bulk")) Synthetic.Bulk(ch.Stream("b"), false, 300_000, 65536); return 0; });

        var cost = CommunicationCost.Measured(run.ServerMeter, run.ClientMeter);
        Assert.Equal(CommunicationCost.Online(300_000, 1, 2), cost);
        Assert.Equal("layer-01", Assert.Single(run.ServerMeter.Snapshot()).Layer);
    }

    [Fact]
    public void A_failing_party_stops_the_other_at_once()
    {
        var e = Assert.ThrowsAny<Exception>(() => NetworkRun.Simulate<int, int>(LinkPresets.Wan,
            ch => { ch.Stream("s").Receive(new byte[4]); return 0; },
            ch => throw new InvalidOperationException("client broke")));
        Assert.Equal("client broke", e.Message);
    }

    [Fact]
    public async Task Channels_used_without_the_runner_start_at_zero_and_report_the_same_latency()
    {
        var (server, client) = SimulatedLink.CreatePair(LinkPresets.Wan);
        var serverTask = Task.Run(() => Synthetic.PingPong(server.Stream("p"), PartyRole.Server, 3, 100));
        Synthetic.PingPong(client.Stream("p"), PartyRole.Client, 3, 100);
        await serverTask;
        var bound = LinkPresets.Wan.SequentialLowerBound(600, 6);
        Assert.True(server.Link.EndToEndLatency >= bound - Tick);
        Assert.True(server.Link.EndToEndLatency < bound + TimeSpan.FromMilliseconds(20));
        Assert.Equal(600, server.Link.ServerToClient.BytesCarried + server.Link.ClientToServer.BytesCarried);
    }

    private static void AssertWithin<TS, TC>(NetworkRunResult<TS, TC> run, TimeSpan bound)
    {
        var compute = run.ServerTiming!.ComputeTime + run.ClientTiming!.ComputeTime;
        Assert.True(run.Latency >= bound - Tick, $"simulated {run.Latency} is below the bound {bound}");
        Assert.True(run.Latency <= bound + compute + Tick,
            $"simulated {run.Latency} exceeds the bound {bound} by more than the compute {compute}");
    }
}
