using System.Diagnostics;
using CoPriv.Actors.Hosting;
using CoPriv.Inference.Sessions;
using CoPriv.Network.Benchmarks;
using CoPriv.Protocols.Core;

namespace CoPriv.Bench;

/// <summary>
/// The actor transport's throughput: a session between two actor systems linked by Akka.Remote on loopback (in this
/// process), the client sending <c>totalBytes</c> in messages of <c>messageBytes</c> through the
/// <see cref="Actors.Channel.ActorChannel"/> (64 KiB chunks under its flow-control window), the server receiving them
/// all; the rate is the bytes over the time from the first send to the server's last receive.
/// </summary>
public static class AkkaTransportMeasurement
{
    public const string Transport = "akka";

    public static async Task<TransportBenchmarkResult> MeasureAsync(int messageBytes, long totalBytes, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messageBytes, 1);
        long count = Math.Max(1, totalBytes / messageBytes);
        var elapsed = TimeSpan.Zero;
        SessionPlan Plan() => new([new LayerStep("stream", context =>
        {
            var bulk = context.Channel.Stream("bulk");
            var message = new byte[messageBytes];
            if (context.Role == PartyRole.Client)
            {
                Random.Shared.NextBytes(message);
                for (long i = 0; i < count; i++) bulk.Send(message);
                return;
            }
            // The clock starts when the first message begins to arrive and stops at the last: setup is excluded.
            bulk.Receive(message);
            var clock = Stopwatch.StartNew();
            for (long i = 1; i < count; i++) bulk.Receive(message);
            elapsed = clock.Elapsed;
        })]);
        await using var server = PartyHost.Start(new PartyHostOptions { SystemName = "bench-server", Remote = true, ServerPlanner = _ => Plan() });
        await using var client = PartyHost.Start(new PartyHostOptions { SystemName = "bench-client", Remote = true, Client = true });
        var party = await client.ResolveAsync(server.PartyPath("server"), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await client.RunSessionAsync(party, Plan(), timeout).ConfigureAwait(false);
        return new TransportBenchmarkResult(Transport, (count - 1) * messageBytes, messageBytes, elapsed);
    }
}
