using Akka.Configuration;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.TestSupport;
using Xunit.Abstractions;

namespace CoPriv.Actors.Tests;

/// <summary>
/// Measures how fast <see cref="Channel.ActorChannel"/> moves bulk protocol bytes, in one ActorSystem and between two
/// systems over Akka.Remote on loopback: the client sends a volume in messages of a given size, the server
/// receives them all and answers one byte; the rate is the volume over the client step's time.
/// </summary>
public sealed class ThroughputTests(ITestOutputHelper output)
{
    private static SessionPlan Plan(int messageBytes, long volume) => new([new LayerStep("stream", context =>
    {
        var stream = context.Channel.Stream("bulk");
        var done = context.Channel.Stream("done");
        var message = new byte[messageBytes];
        long count = volume / messageBytes;
        if (context.Role == PartyRole.Client)
        {
            new Random(1).NextBytes(message);
            for (long i = 0; i < count; i++) stream.Send(message);
            done.Receive(new byte[1]);
        }
        else
        {
            for (long i = 0; i < count; i++) stream.Receive(message);
            done.Send([1]);
        }
    })]);

    private static Config Channel(int windowKiB) => ConfigurationFactory.ParseString(
        $"copriv.channel {{ chunk-size = 65536b, window = {windowKiB * 1024}b }}");

    [HeavyFact]
    public async Task Throughput_in_one_system()
    {
        const long volume = 512L * 1024 * 1024;
        const int runs = 5;
        foreach (var window in new[] { 256, 1024, 4096 })
        {
            await using var host = PartyHost.Start(new PartyHostOptions
            {
                SystemName = "throughput", ServerPlanner = r => Plan(int.Parse(r.Parameters["size"]), volume), Client = true,
                Overrides = Channel(window),
            });
            foreach (var size in new[] { 64 << 10, 1 << 20 })
            {
                var seconds = new List<double>();
                for (int run = 0; run <= runs; run++)
                {
                    var completed = await host.RunSessionAsync(host.Server!, Plan(size, volume), TimeSpan.FromMinutes(5),
                        new Dictionary<string, string> { ["size"] = size.ToString() });
                    Assert.Equal(volume, completed.Status.Layers[0].BytesSent);
                    Assert.InRange(completed.Status.PeakInFlightBytes, 1, window * 1024);
                    if (run > 0) seconds.Add(completed.Status.Layers[0].Elapsed.TotalSeconds);
                }
                seconds.Sort();
                output.WriteLine($"{$"one system, window {window} KiB",-44} {size / 1024,5} KiB msgs: best {volume * 8 / seconds[0] / 1e9:0.00} Gbit/s, " +
                                 $"median {volume * 8 / seconds[runs / 2] / 1e9:0.00} Gbit/s ({runs} × {volume >> 20} MiB)");
            }
        }
    }

    /// <summary>A server system and a client system over Akka.Remote on loopback.</summary>
    private sealed class RemotePair : IAsyncDisposable
    {
        public required PartyHost Server { get; init; }
        public required PartyHost Client { get; init; }

        public static RemotePair Start(Config overrides, SessionPlanner planner) => new()
        {
            Server = PartyHost.Start(new PartyHostOptions { SystemName = "server", Remote = true, ServerPlanner = planner, Overrides = overrides }),
            Client = PartyHost.Start(new PartyHostOptions { SystemName = "client", Remote = true, Client = true, Overrides = overrides }),
        };

        public async Task<SessionCompleted> Run(SessionPlan plan, Dictionary<string, string> parameters)
        {
            var server = await Client.ResolveAsync(Server.PartyPath(ServerParty.Name), TimeSpan.FromSeconds(10));
            return await Client.RunSessionAsync(server, plan, TimeSpan.FromMinutes(5), parameters);
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    /// <summary>
    /// Remote configurations are measured in alternation, several times each, and reported by minimum and median,
    /// so that load from other processes on the machine skews them alike.
    /// </summary>
    [HeavyFact]
    public async Task Throughput_over_akka_remote_on_loopback()
    {
        const long volume = 256L * 1024 * 1024;
        const int runs = 5;
        var setups = new List<(string Label, RemotePair Pair, List<double> Seconds)>();
        foreach (var (window, batching) in new[] { (1024, false), (1024, true), (256, false), (4096, false) })
        {
            var overrides = ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.batching.enabled = {(batching ? "on" : "off")}")
                .WithFallback(Channel(window));
            var pair = RemotePair.Start(overrides, r => Plan(int.Parse(r.Parameters["size"]), volume));
            setups.Add(($"remote, window {window} KiB, write batching {(batching ? "on" : "off")}", pair, []));
        }
        try
        {
            foreach (var size in new[] { 64 << 10, 1 << 20 })
            {
                foreach (var setup in setups) setup.Seconds.Clear();
                for (int run = 0; run <= runs; run++)
                    foreach (var (_, pair, seconds) in setups)
                    {
                        var completed = await pair.Run(Plan(size, volume), new() { ["size"] = size.ToString() });
                        Assert.Equal(volume, completed.Status.Layers[0].BytesSent);
                        if (run > 0) seconds.Add(completed.Status.Layers[0].Elapsed.TotalSeconds);
                    }
                foreach (var (label, _, seconds) in setups)
                {
                    seconds.Sort();
                    double best = seconds[0], median = seconds[runs / 2];
                    output.WriteLine($"{label,-44} {size / 1024,5} KiB msgs: best {volume * 8 / best / 1e9:0.00} Gbit/s, " +
                                     $"median {volume * 8 / median / 1e9:0.00} Gbit/s ({runs} × {volume >> 20} MiB)");
                }
            }
        }
        finally
        {
            foreach (var setup in setups) await setup.Pair.DisposeAsync();
        }
    }

    private static int PingPongBody(IChannel channel, int rounds)
    {
        var stream = channel.Stream("ping");
        var one = new byte[1];
        for (int i = 0; i < rounds; i++)
        {
            if (channel.Role == PartyRole.Client) { stream.Send(one); stream.Receive(one); }
            else { stream.Receive(one); stream.Send(one); }
        }
        return rounds;
    }

    private static SessionPlan PingPong(int rounds) =>
        new([new LayerStep("pingpong", context => PingPongBody(context.Channel, rounds))]);

    [HeavyFact]
    public async Task Round_trip_latency_of_one_byte_messages()
    {
        const int rounds = 2000, runs = 5;
        var inMemory = new List<double>();
        for (int run = 0; run <= runs; run++)
            inMemory.Add(TwoPartyRunner.Run(c => PingPongBody(c, rounds), c => PingPongBody(c, rounds)).Elapsed.TotalMicroseconds / rounds);
        Report("in-memory channel (baseline)", inMemory.Skip(1).ToList());

        await using (var host = PartyHost.Start(new PartyHostOptions { SystemName = "latency", ServerPlanner = _ => PingPong(rounds), Client = true }))
        {
            var local = new List<double>();
            for (int run = 0; run <= runs; run++)
                local.Add((await host.RunSessionAsync(host.Server!, PingPong(rounds), TimeSpan.FromMinutes(2))).Status.Layers[0].Elapsed.TotalMicroseconds / rounds);
            Report("one system", local.Skip(1).ToList());
        }

        var pairs = new[] { false, true }.Select(batching => (Batching: batching, Pair: RemotePair.Start(
            ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.batching.enabled = {(batching ? "on" : "off")}"),
            _ => PingPong(rounds)), Micros: new List<double>())).ToList();
        try
        {
            for (int run = 0; run <= runs; run++)
                foreach (var (_, pair, micros) in pairs)
                {
                    var completed = await pair.Run(PingPong(rounds), []);
                    if (run > 0) micros.Add(completed.Status.Layers[0].Elapsed.TotalMicroseconds / rounds);
                }
            foreach (var (batching, _, micros) in pairs) Report($"remote, write batching {(batching ? "on" : "off")}", micros);
        }
        finally
        {
            foreach (var (_, pair, _) in pairs) await pair.DisposeAsync();
        }

        void Report(string label, List<double> micros)
        {
            micros.Sort();
            output.WriteLine($"{label,-32} best {micros[0],6:0.0} µs, median {micros[micros.Count / 2],6:0.0} µs per 1-byte round trip");
        }
    }
}
