using System.Diagnostics;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Bench;

/// <summary>One ReLU throughput measurement: the timed runs, the traffic of one run and whether the outputs were right.</summary>
public sealed record ReluThroughputResult(
    int Bits, int Elements, ReluVariant Variant, int Radix, int ThreadsPerParty, IReadOnlyList<TimeSpan> Runs,
    TimeSpan ProcessCpuTime, CommunicationCost Cost, CommunicationCost PredictedCost, bool OutputsVerified,
    OtBackend? Ot = null, IReadOnlyList<TimeSpan>? Generation = null)
{
    /// <summary>
    /// True when a batch-making backend (Ferret) made each timed run's COTs before the run, as a deployment does in
    /// its input-independent pre-processing; <see cref="Generation"/> then holds those times, one per run.
    /// </summary>
    public bool CotsGeneratedAhead => Generation is { Count: > 0 };

    /// <summary>Seconds spent making COTs ahead of the timed runs, all runs together (0 unless generated ahead).</summary>
    public double GenerationSeconds => Generation?.Sum(t => t.TotalSeconds) ?? 0;

    public TimeSpan Best => Runs.Min();
    public TimeSpan Median => Runs.OrderBy(t => t).ElementAt(Runs.Count / 2);

    /// <summary>ReLUs per second of the median run (with Ferret, its COTs made before the run: see <see cref="CotsGeneratedAhead"/>).</summary>
    public double ReluPerSecond => Elements / Median.TotalSeconds;

    public double BestReluPerSecond => Elements / Best.TotalSeconds;

    /// <summary>
    /// ReLUs per second over all timed runs together, the COT generation of a batch-making backend included: its
    /// iterations count at their full length, whether they ran ahead of a run or inside it.
    /// </summary>
    public double AmortizedReluPerSecond => (double)Elements * Runs.Count / (Runs.Sum(t => t.TotalSeconds) + GenerationSeconds);

    /// <summary>
    /// Process CPU time (both parties together) per ReLU over the timed runs: far less distorted than wall time when
    /// other work shares the machine.
    /// </summary>
    public double CpuMicrosecondsPerRelu => ProcessCpuTime.TotalMicroseconds / ((double)Elements * Runs.Count);

    /// <summary>
    /// Bits on the wire per element, both directions, including the 24-byte parameter handshake of the call and the
    /// COT batches the call uses up (<see cref="GenerationBitsPerElement"/>).
    /// </summary>
    public double BitsPerElement => 8.0 * Cost.TotalBytes / Elements + GenerationBitsPerElement;

    /// <summary>
    /// A batch-making backend's (Ferret's) iteration messages per element, at its steady rate per COT: the call's
    /// COTs (counted by the meters) times the bits a main iteration sends per COT it makes. Zero for IKNP.
    /// </summary>
    public double GenerationBitsPerElement
    {
        get
        {
            var batching = (Ot ?? OtBackend.Iknp).Costs.Batching;
            return batching.PerBatch == 0 ? 0
                : 8.0 * batching.BytesPerBatch / batching.PerBatch * (Cost.ServerSentCots + Cost.ClientSentCots) / Elements;
        }
    }
}

/// <summary>
/// Measures batched ReLU throughput with both parties in this process over an in-memory channel, one thread each —
/// or two each when <c>threadsPerParty</c> is 2 (the OT batches of both directions at once, see
/// <see cref="OtDirections"/>): the base OTs and the warm-up runs are not timed; every timed run starts when both parties are ready and ends when the
/// slower one has its shares. Under a batch-making backend (Ferret) both parties first make the run's COTs
/// (<see cref="OtSession.PrepareCots"/>, the counts from the cost function), timed apart as the run's generation,
/// unless a run needs more than <see cref="OtSession.MaxPreparedCots"/> per direction (then its iterations run inside it). The last run's output is checked against <see cref="NonLinearReference.Relu"/> and its
/// traffic against <see cref="ReluProtocol.Cost"/>.
/// </summary>
public static class ReluThroughput
{
    public static ReluThroughputResult Measure(Ring ring, int elements, ReluVariant variant = ReluProtocol.DefaultVariant,
        int radix = ReluProtocol.DefaultRadix, int runs = 3, int warmups = 2, int threadsPerParty = 1,
        OtBackend? otBackend = null)
    {
        otBackend ??= OtBackend.Iknp;
        ArgumentOutOfRangeException.ThrowIfLessThan(elements, 1);
        if (threadsPerParty is not (1 or 2))
            throw new ArgumentException($"a party runs ReLU on one or two threads, not {threadsPerParty}", nameof(threadsPerParty));
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var data = AesPrg.FromTestSeed(3, (ulong)ring.Bits);
        var x = new ulong[elements];
        data.Fill(x, ring);
        var x0 = new ulong[elements];
        data.Fill(x0, ring);
        var x1 = new ulong[elements];
        ring.Sub(x, x0, x1);

        var predicted = ReluProtocol.Cost(elements, ring, variant, radix, otCosts: otBackend.Costs);
        bool ahead = otBackend.Costs.Batching.PerBatch > 0
            && Math.Max(predicted.ServerSentCots, predicted.ClientSentCots) <= OtSession.MaxPreparedCots;
        var clock = new Stopwatch();
        var process = Process.GetCurrentProcess();
        var cpu = TimeSpan.Zero;
        var (serverChannel, clientChannel) = InMemoryChannel.CreatePair();
        using var start = new Barrier(2, _ =>
        {
            serverChannel.Meter.Reset();
            clientChannel.Meter.Reset();
            process.Refresh();
            cpu -= process.TotalProcessorTime;
            clock.Restart();
        });
        using var finish = new Barrier(2, _ =>
        {
            process.Refresh();
            cpu += process.TotalProcessorTime;
        });
        var times = new List<TimeSpan>();
        var generation = new List<TimeSpan>();
        var generationClock = new Stopwatch();
        using var prepare = new Barrier(2, _ => generationClock.Restart());
        long endServer = 0, endClient = 0, readyServer = 0, readyClient = 0;

        ulong[] Party(IChannel channel, ulong[] share, bool isServer)
        {
            var ctx = PartyContext.Create(channel, AesPrg.FromTestSeed(4, isServer ? 1UL : 2UL), otBackend);
            OtDirections.RunConcurrently(ctx, threadsPerParty == 2);
            var y = new ulong[elements];
            for (int w = 0; w < warmups; w++) ReluProtocol.Run(ctx, ring, share, y, variant, radix);
            for (int r = 0; r < runs; r++)
            {
                if (ahead)
                {
                    prepare.SignalAndWait();
                    // Each party's own view: the server sends the OTs of ServerSentCots, the client receives them.
                    long asSender = isServer ? predicted.ServerSentCots : predicted.ClientSentCots;
                    long asReceiver = isServer ? predicted.ClientSentCots : predicted.ServerSentCots;
                    ctx.Ot.PrepareCots((int)asSender, (int)asReceiver);
                    if (isServer) readyServer = generationClock.ElapsedTicks; else readyClient = generationClock.ElapsedTicks;
                }
                start.SignalAndWait();
                if (ahead && isServer)
                    generation.Add(TimeSpan.FromSeconds((double)Math.Max(readyServer, readyClient) / Stopwatch.Frequency));
                ReluProtocol.Run(ctx, ring, share, y, variant, radix);
                if (isServer) endServer = clock.ElapsedTicks; else endClient = clock.ElapsedTicks;
                finish.SignalAndWait();
                if (isServer) times.Add(TimeSpan.FromSeconds((double)Math.Max(endServer, endClient) / Stopwatch.Frequency));
            }
            return y;
        }

        var result = TwoPartyRunner.Run(serverChannel, clientChannel,
            ch => Party(ch, x0, true), ch => Party(ch, x1, false));
        bool verified = true;
        for (int i = 0; i < elements && verified; i++)
            verified = ring.Add(result.Server[i], result.Client[i]) == NonLinearReference.Relu(ring, x[i]);
        var cost = CommunicationCost.Measured(result.ServerMeter, result.ClientMeter);
        return new ReluThroughputResult(ring.Bits, elements, variant, radix, threadsPerParty, times, cpu, cost,
            predicted, verified, otBackend, ahead ? generation : null);
    }
}
