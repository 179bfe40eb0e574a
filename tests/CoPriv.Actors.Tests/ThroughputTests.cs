using Akka.Configuration;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using CoPriv.Actors.Steps;
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
    private const long Volume = 512L * 1024 * 1024;

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

    private async Task Measure(string label, PartyHost client, string serverPath, int messageBytes, long volume)
    {
        var server = await client.ResolveAsync(serverPath, TimeSpan.FromSeconds(10));
        var completed = await client.RunSessionAsync(server, Plan(messageBytes, volume), TimeSpan.FromMinutes(5));
        var layer = completed.Status.Layers[0];
        Assert.Equal(volume / messageBytes * messageBytes, layer.BytesSent);
        double seconds = layer.Elapsed.TotalSeconds;
        output.WriteLine($"{label,-44} {messageBytes / 1024,6} KiB msgs  {volume / (1 << 20),5} MiB in {seconds,6:0.000} s = " +
                         $"{volume / seconds / (1 << 20),7:0} MiB/s = {volume * 8 / seconds / 1e9,5:0.00} Gbit/s, peak in flight {completed.Status.PeakInFlightBytes / 1024} KiB");
    }

    [HeavyFact]
    public async Task Throughput_in_one_system()
    {
        foreach (var window in new[] { 256, 1024, 4096 })
        {
            await using var host = PartyHost.Start(new PartyHostOptions
            {
                SystemName = "throughput", ServerPlanner = _ => Plan(1 << 20, Volume), Client = true, Overrides = Channel(window),
            });
            await Measure($"one system, window {window} KiB", host, host.PartyPath(ServerParty.Name), 1 << 20, Volume);
            await Measure($"one system, window {window} KiB", host, host.PartyPath(ServerParty.Name), 1 << 20, Volume);
        }
    }

    [HeavyFact]
    public async Task Throughput_over_akka_remote_on_loopback()
    {
        foreach (var (window, batching) in new[] { (1024, true), (1024, false), (4096, false), (256, false) })
        {
            var overrides = ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.batching.enabled = {(batching ? "on" : "off")}")
                .WithFallback(Channel(window));
            await using var server = PartyHost.Start(new PartyHostOptions
            {
                SystemName = "server", Remote = true, ServerPlanner = r => Plan(int.Parse(r.Parameters["size"]), Volume), Overrides = overrides,
            });
            await using var client = PartyHost.Start(new PartyHostOptions { SystemName = "client", Remote = true, Client = true, Overrides = overrides });
            var path = server.PartyPath(ServerParty.Name);
            var label = $"remote, window {window} KiB, batching {(batching ? "on" : "off")}";
            foreach (var size in new[] { 64 << 10, 1 << 20 })
            {
                var serverParty = await client.ResolveAsync(path, TimeSpan.FromSeconds(10));
                var completed = await client.RunSessionAsync(serverParty, Plan(size, Volume), TimeSpan.FromMinutes(5),
                    new Dictionary<string, string> { ["size"] = size.ToString() });
                var layer = completed.Status.Layers[0];
                Assert.Equal(Volume, layer.BytesSent);
                double seconds = layer.Elapsed.TotalSeconds;
                output.WriteLine($"{label,-44} {size / 1024,6} KiB msgs  {Volume / (1 << 20),5} MiB in {seconds,6:0.000} s = " +
                                 $"{Volume / seconds / (1 << 20),7:0} MiB/s = {Volume * 8 / seconds / 1e9,5:0.00} Gbit/s, peak in flight {completed.Status.PeakInFlightBytes / 1024} KiB");
            }
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

    /// <summary>The second of two runs, so that JIT and connection set-up stay out of the figure.</summary>
    private async Task<double> MicrosecondsPerRoundTrip(PartyHost client, string serverPath, int rounds)
    {
        var serverParty = await client.ResolveAsync(serverPath, TimeSpan.FromSeconds(10));
        SessionCompleted completed = null!;
        for (int run = 0; run < 2; run++)
            completed = await client.RunSessionAsync(serverParty, PingPong(rounds), TimeSpan.FromMinutes(2));
        return completed.Status.Layers[0].Elapsed.TotalMilliseconds * 1000 / rounds;
    }

    [HeavyFact]
    public async Task Round_trip_latency_of_one_byte_messages()
    {
        const int rounds = 5000;
        TwoPartyRunner.Run(c => PingPongBody(c, rounds), c => PingPongBody(c, rounds));
        var inMemory = TwoPartyRunner.Run(c => PingPongBody(c, rounds), c => PingPongBody(c, rounds));
        output.WriteLine($"in-memory channel (baseline): {inMemory.Elapsed.TotalMilliseconds * 1000 / rounds:0.0} µs per round trip");
        await using (var host = PartyHost.Start(new PartyHostOptions { SystemName = "latency", ServerPlanner = _ => PingPong(rounds), Client = true }))
            output.WriteLine($"one system: {await MicrosecondsPerRoundTrip(host, host.PartyPath(ServerParty.Name), rounds):0.0} µs per round trip");
        foreach (var batching in new[] { true, false })
        {
            var overrides = ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.batching.enabled = {(batching ? "on" : "off")}");
            await using var server = PartyHost.Start(new PartyHostOptions { SystemName = "server", Remote = true, ServerPlanner = _ => PingPong(rounds), Overrides = overrides });
            await using var client = PartyHost.Start(new PartyHostOptions { SystemName = "client", Remote = true, Client = true, Overrides = overrides });
            output.WriteLine($"remote, batching {(batching ? "on" : "off")}: {await MicrosecondsPerRoundTrip(client, server.PartyPath(ServerParty.Name), rounds):0.0} µs per round trip");
        }
    }
}
