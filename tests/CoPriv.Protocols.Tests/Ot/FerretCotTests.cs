using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;
using CoPriv.TestSupport;
using Xunit.Abstractions;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>
/// The Ferret generators end to end: bootstrapped from the session's IKNP COTs (same Δ), several iterations each
/// refilled from the previous one's outputs, over the in-memory channel with the meters and the wire recorded.
/// </summary>
public class FerretCotTests(ITestOutputHelper output)
{
    private const string Stream = "ferret/server-sends";

    private static readonly FerretParameters Setup = FerretParameters.TestSetup, Main = FerretParameters.TestMain;

    /// <summary>Setup outputs, then three whole main iterations and part of a fourth: five iterations in all.</summary>
    private static readonly int[] Requests = [100, 412, 13_824, 20_000, 7_648, 100];

    private sealed record SenderRun(UInt128 IknpDelta, UInt128 Delta, ulong[] Rows, int Iterations, long Sent, long Rounds);
    private sealed record ReceiverRun(byte[] Choices, ulong[] Rows, int Iterations, long Sent, double[] Seconds, long Rounds);

    private static SenderRun RunSender(PartyContext ctx, FerretParameters setup, FerretParameters main, int[] requests, int parallelism = 1)
    {
        using var scope = ctx.Meter.Enter("ferret", "cot");
        var ferret = FerretCotSender.Bootstrap(ctx.Ot.Sender, ctx.Channel.Stream(Stream), ctx.Prg.Fork(), setup, main, parallelism);
        var rows = new ulong[2L * requests.Sum()];
        int at = 0;
        foreach (int n in requests)
        {
            ferret.Next(rows.AsSpan(2 * at, 2 * n));
            at += n;
        }
        return new SenderRun(ctx.Ot.Sender.GlobalDelta, ferret.Delta, rows, ferret.Iterations, FerretBytesSent(ctx), FerretRounds(ctx));
    }

    private static ReceiverRun RunReceiver(PartyContext ctx, FerretParameters setup, FerretParameters main, int[] requests, int parallelism = 1)
    {
        using var scope = ctx.Meter.Enter("ferret", "cot");
        var ferret = FerretCotReceiver.Bootstrap(ctx.Ot.Receiver, ctx.Channel.Stream(Stream), setup, main, parallelism);
        int total = requests.Sum();
        var choices = new byte[total];
        var rows = new ulong[2L * total];
        var seconds = new double[requests.Length];
        int at = 0;
        for (int r = 0; r < requests.Length; r++)
        {
            long start = Stopwatch.GetTimestamp();
            ferret.Next(choices.AsSpan(at, requests[r]), rows.AsSpan(2 * at, 2 * requests[r]));
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            at += requests[r];
        }
        return new ReceiverRun(choices, rows, ferret.Iterations, FerretBytesSent(ctx), seconds, FerretRounds(ctx));
    }

    private static long FerretBytesSent(PartyContext ctx) => ctx.Meter.Total(r => r.Layer == "ferret").BytesSent;
    private static long FerretRounds(PartyContext ctx) => ctx.Meter.Total(r => r.Layer == "ferret").Rounds;

    private static (SenderRun Server, ReceiverRun Client) Run(IChannel? server = null, IChannel? client = null)
    {
        if (server is null || client is null) (server, client) = InMemoryChannel.CreatePair(OtPair.Timeout);
        var run = OtPair.Run(server, client, ctx => RunSender(ctx, Setup, Main, Requests),
            ctx => RunReceiver(ctx, Setup, Main, Requests), seed: 9);
        return (run.Server, run.Client);
    }

    [Fact]
    public void Every_output_over_several_iterations_is_a_cot_with_the_iknp_delta()
    {
        var (s, c) = Run();
        Assert.Equal(s.IknpDelta, s.Delta);
        Assert.Equal(5, s.Iterations);
        Assert.Equal(5, c.Iterations);
        ulong d0 = (ulong)s.Delta, d1 = (ulong)(s.Delta >> 64);
        for (int i = 0; i < c.Choices.Length; i++)
        {
            ulong mask = 0UL - c.Choices[i];
            Assert.Equal(d0 & mask, s.Rows[2 * i] ^ c.Rows[2 * i]);
            Assert.Equal(d1 & mask, s.Rows[2 * i + 1] ^ c.Rows[2 * i + 1]);
        }
        // No two outputs alike (a reserve handed out twice, or an unfilled buffer, would repeat rows).
        Assert.Equal(c.Choices.Length, Enumerable.Range(0, c.Choices.Length).Select(i => (s.Rows[2 * i], s.Rows[2 * i + 1])).Distinct().Count());
    }

    [Fact]
    public void Output_choices_are_balanced()
    {
        // Binomial(n, 1/2): |ones − n/2| ≤ 3·√n (six standard deviations) fails with probability < 2·10⁻⁹ for
        // uniform choices; the seeds are fixed, so the outcome is deterministic.
        var (_, c) = Run();
        int n = c.Choices.Length;
        int ones = c.Choices.Count(b => b == 1);
        Assert.InRange(ones, n / 2 - 3 * Math.Sqrt(n), n / 2 + 3 * Math.Sqrt(n));
    }

    [Fact]
    public void Meters_count_exactly_the_cost_function()
    {
        var (s, c) = Run();
        long count = Requests.Sum();
        var generate = FerretCosts.Generate(count, Setup, Main);
        var bootstrap = FerretCosts.Bootstrap(Setup, OtBackend.Iknp.Costs);
        Assert.Equal(FerretCosts.Iterations(count, Setup, Main), s.Iterations);
        Assert.Equal(bootstrap.SenderBytes + generate.SenderBytes, s.Sent);
        Assert.Equal(bootstrap.ReceiverBytes + generate.ReceiverBytes, c.Sent);
        Assert.Equal(0, generate.ReceiverBytes);
        Assert.Equal(bootstrap.Rounds + generate.Rounds, s.Rounds + c.Rounds);
        Assert.Equal(Setup.NoisyBlocks * 208 + 4L * Main.NoisyBlocks * 272, generate.SenderBytes);
        output.WriteLine($"test set: {8.0 * (s.Sent + c.Sent) / count:0.000} bits per COT with the bootstrap, " +
            $"{FerretCosts.SteadyBitsPerCot(Main):0.000} per main iteration");
    }

    /// <summary>
    /// Fixed seeds → SHA-256 of every byte each party sends (session setup, bootstrap COTs, Ferret messages), as
    /// <see cref="OtWireTraceTests"/> does. When the wire format changes on purpose, update this in the same commit.
    /// </summary>
    private const string Baseline = "1d0c0ced65a69b25f97d703d25a2025d96d9a34f9f426f6ffe87cd3df64c84ad";

    [Fact]
    public void Bytes_on_the_wire_from_fixed_seeds_match_the_committed_baseline()
    {
        Assert.Equal(Baseline, RecordedTraceHash());
    }

    [Fact]
    public void The_portable_paths_put_the_same_bytes_on_the_wire()
    {
        using (PortableCodePaths.Force())
            Assert.Equal(Baseline, RecordedTraceHash());
    }

    private static string RecordedTraceHash()
    {
        var (s, c) = InMemoryChannel.CreatePair(OtPair.Timeout);
        var server = new RecordingChannel(s);
        var client = new RecordingChannel(c);
        Run(server, client);
        return RecordingChannel.TraceHash(server, client);
    }

    [Fact]
    public void The_sender_messages_the_receiver_sees_look_uniform()
    {
        var (s, c) = InMemoryChannel.CreatePair(OtPair.Timeout);
        var server = new RecordingChannel(s);
        var client = new RecordingChannel(c);
        Run(server, client);
        Assert.Empty(client.Sent[Stream]);                       // the receiver sends nothing on Ferret's stream
        var messages = server.Sent[Stream];
        Assert.Equal(5, messages.Count);
        var words = messages.SelectMany(m => MemoryMarshal.Cast<byte, ulong>(m).ToArray()).ToArray();
        Assert.DoesNotContain(0UL, words);                       // no word left zero (a masked sum or γ unmasked)
        Assert.Equal(words.Length, words.Distinct().Count());    // no two pads alike
        // Bits: Binomial(64·words, 1/2) within six standard deviations (false alarm < 2·10⁻⁹).
        long bits = 64L * words.Length;
        long ones = words.Sum(w => (long)BitOperations.PopCount(w));
        Assert.InRange(ones, bits / 2 - 3 * Math.Sqrt(bits), bits / 2 + 3 * Math.Sqrt(bits));
    }

    [HeavyFact]
    public void The_128_bit_parameters_cost_what_the_cost_function_says()
    {
        var setup = FerretParameters.Setup128;
        var main = FerretParameters.Main128;
        int first = (int)(FerretCosts.SetupOutputs(setup, main) + FerretCosts.MainOutputs(main));   // setup + one main iteration
        int steady = (int)FerretCosts.MainOutputs(main);                                            // one more main iteration
        int count = first + steady;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var run = OtPair.Run(
            ctx => RunSender(ctx, setup, main, [first, steady], parallelism: 0),
            ctx => RunReceiver(ctx, setup, main, [first, steady], parallelism: 0), seed: 10);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var (s, c) = (run.Server, run.Client);
        Assert.Equal(3, s.Iterations);
        var generate = FerretCosts.Generate(count, setup, main);
        var bootstrap = FerretCosts.Bootstrap(setup, OtBackend.Iknp.Costs);
        Assert.Equal(bootstrap.SenderBytes + generate.SenderBytes, s.Sent);
        Assert.Equal(bootstrap.ReceiverBytes + generate.ReceiverBytes, c.Sent);
        ulong d0 = (ulong)s.Delta, d1 = (ulong)(s.Delta >> 64);
        for (int i = 0; i < count; i += 97)
        {
            ulong mask = 0UL - c.Choices[i];
            Assert.Equal(d0 & mask, s.Rows[2 * i] ^ c.Rows[2 * i]);
            Assert.Equal(d1 & mask, s.Rows[2 * i + 1] ^ c.Rows[2 * i + 1]);
        }
        output.WriteLine($"first {first} COTs (IKNP bootstrap, setup and one main iteration, first-touch of the buffers) in " +
            $"{c.Seconds[0]:0.00} s; a steady main iteration ({steady} COTs) in {c.Seconds[1]:0.00} s = " +
            $"{steady / c.Seconds[1] / 1e6:0.00} M COT/s (both parties in one process on all cores); " +
            $"process CPU time for all {count} COTs, both parties: {cpu.TotalSeconds:0.00} s");
        output.WriteLine($"bits per COT: {8.0 * (s.Sent + c.Sent) / count:0.0000} over {count} with the bootstrap, " +
            $"{FerretCosts.SteadyBitsPerCot(main):0.0000} per main iteration ({main.SenderBytesPerIteration} bytes)");
    }
}
