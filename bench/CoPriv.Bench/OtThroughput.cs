using System.Diagnostics;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Bench;

/// <summary>The OT kernels whose throughput <see cref="OtThroughput"/> measures.</summary>
public enum OtKernel
{
    /// <summary>Random COT over 128-bit blocks with the global Δ (<see cref="IOtSender.SendRandomCot"/>).</summary>
    RandomCot,

    /// <summary>Correlated OT with chosen 41-bit correlations per OT (<see cref="IOtSender.SendCorrelated"/>).</summary>
    Correlated41,

    /// <summary>1-out-of-16 OT with 2-bit messages (<see cref="IOtSender.SendOneOfN"/>).</summary>
    OneOf16Bits2,
}

/// <summary>
/// One throughput measurement: OTs run in the timed part, its wall time, the CPU time this process spent in it
/// (both parties together; unlike wall time it hardly moves when other processes share the cores), wire bytes per
/// OT outside the setup phase, the session setup (bytes both parties sent, the slower party's seconds) and every
/// byte both parties sent after it per OT (warm-up included), which for Ferret includes its iterations' messages.
/// </summary>
public sealed record OtThroughputResult(
    OtKernel Kernel, long Ots, TimeSpan Elapsed, TimeSpan CpuTime, double BytesPerOt, bool OutputsVerified,
    long SetupBytes = 0, TimeSpan SetupTime = default, double BitsPerOtAfterSetup = 0)
{
    public double OtsPerSecond => Ots / Elapsed.TotalSeconds;
    public double CpuNanosecondsPerOt => CpuTime.TotalNanoseconds / Ots;
}

/// <summary>
/// Measures OT throughput with both parties in this process, one thread each, over an in-memory channel: base OTs
/// first (not timed), then a warm-up, then the timed calls in batches of <see cref="BatchOts"/> with reused
/// buffers. After timing, the last batch is checked across the two parties.
/// </summary>
public static class OtThroughput
{
    public const int BatchOts = 1 << 20;

    public static OtThroughputResult Measure(OtKernel kernel, long ots, long warmupOts, OtBackend? backend = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupOts);
        int batch = (int)Math.Min(BatchOts, ots);
        var clock = new Stopwatch();
        var cpuAtStart = TimeSpan.Zero;
        var cpuAtEnd = TimeSpan.Zero;
        int running = 2;
        using var start = new Barrier(2, _ =>
        {
            cpuAtStart = ProcessCpuTime();
            clock.Restart();
        });

        (long EndTicks, Batch Last, long SetupTicks, long SetupBytes) Party(IChannel channel, PartyRole role)
        {
            long setupStart = Stopwatch.GetTimestamp();
            var ctx = PartyContext.Create(channel, AesPrg.FromTestSeed(1, role == PartyRole.Server ? 1UL : 2UL), backend);
            long setupTicks = Stopwatch.GetTimestamp() - setupStart;
            long setupBytes = channel.Meter.Total().BytesSent;
            var state = new Batch(kernel, batch, role);
            for (long done = 0; done < warmupOts; done += batch) state.Run(ctx);
            start.SignalAndWait();
            for (long done = 0; done < ots; done += batch) state.Run(ctx, (int)Math.Min(batch, ots - done));
            long end = clock.ElapsedTicks;
            if (Interlocked.Decrement(ref running) == 0) cpuAtEnd = ProcessCpuTime();
            return (end, state, setupTicks, setupBytes);
        }

        var (serverChannel, clientChannel) = InMemoryChannel.CreatePair();
        var run = TwoPartyRunner.Run(serverChannel, clientChannel,
            ch => Party(ch, PartyRole.Server),
            ch => Party(ch, PartyRole.Client));
        var elapsed = TimeSpan.FromSeconds((double)Math.Max(run.Server.EndTicks, run.Client.EndTicks) / Stopwatch.Frequency);
        var online = run.ServerMeter.Total(r => r.Phase != Phase.Setup);
        long totalOts = ots + (warmupOts + batch - 1) / batch * batch;
        double bytesPerOt = (double)(online.BytesSent + online.BytesReceived) / totalOts;
        long setupBytes = run.Server.SetupBytes + run.Client.SetupBytes;
        long allBytes = run.ServerMeter.Total().BytesSent + run.ClientMeter.Total().BytesSent;
        var setupTime = TimeSpan.FromSeconds((double)Math.Max(run.Server.SetupTicks, run.Client.SetupTicks) / Stopwatch.Frequency);
        return new OtThroughputResult(kernel, ots, elapsed, cpuAtEnd - cpuAtStart, bytesPerOt,
            Batch.Verify(run.Server.Last, run.Client.Last), setupBytes, setupTime, 8.0 * (allBytes - setupBytes) / totalOts);
    }

    private static TimeSpan ProcessCpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>One party's reusable buffers for one kernel and its last outputs.</summary>
    private sealed class Batch
    {
        private readonly OtKernel _kernel;
        private readonly PartyRole _role;
        private readonly ulong[] _values;
        private readonly ulong[] _outputs;
        private readonly byte[] _choices;
        private int _lastCount;
        private UInt128 _delta;

        public Batch(OtKernel kernel, int size, PartyRole role)
        {
            _kernel = kernel;
            _role = role;
            var prg = AesPrg.FromTestSeed(2, (ulong)role);
            _choices = new byte[size];
            switch (kernel)
            {
                case OtKernel.RandomCot:
                    _values = [];
                    _outputs = new ulong[2 * size];
                    break;
                case OtKernel.Correlated41:
                    _values = new ulong[size];
                    prg.Fill(_values, new Ring(41));
                    prg.FillBits(_choices);
                    _outputs = new ulong[size];
                    break;
                default:
                    _values = new ulong[16 * size];
                    prg.Fill(_values, new Ring(2));
                    prg.Fill(_choices);
                    for (int i = 0; i < size; i++) _choices[i] &= 15;
                    _outputs = new ulong[size];
                    break;
            }
        }

        public void Run(PartyContext ctx) => Run(ctx, _choices.Length);

        public void Run(PartyContext ctx, int count)
        {
            _lastCount = count;
            bool sender = _role == PartyRole.Server;
            switch (_kernel)
            {
                case OtKernel.RandomCot when sender:
                    ctx.Ot.Sender.SendRandomCot(_outputs.AsSpan(0, 2 * count));
                    _delta = ctx.Ot.Sender.GlobalDelta;
                    break;
                case OtKernel.RandomCot:
                    ctx.Ot.Receiver.ReceiveRandomCot(_choices.AsSpan(0, count), _outputs.AsSpan(0, 2 * count));
                    break;
                case OtKernel.Correlated41 when sender:
                    ctx.Ot.Sender.SendCorrelated(_values.AsSpan(0, count), 41, _outputs.AsSpan(0, count));
                    break;
                case OtKernel.Correlated41:
                    ctx.Ot.Receiver.ReceiveCorrelated(_choices.AsSpan(0, count), 41, _outputs.AsSpan(0, count));
                    break;
                case OtKernel.OneOf16Bits2 when sender:
                    ctx.Ot.Sender.SendOneOfN(_values.AsSpan(0, 16 * count), 16, 2);
                    break;
                default:
                    ctx.Ot.Receiver.ReceiveOneOfN(_choices.AsSpan(0, count), 16, 2, _outputs.AsSpan(0, count));
                    break;
            }
        }

        /// <summary>Checks the last batch: the receiver holds what the sender's outputs say it must.</summary>
        public static bool Verify(Batch sender, Batch receiver)
        {
            var ring = new Ring(41);
            for (int i = 0; i < receiver._lastCount; i++)
            {
                bool ok = sender._kernel switch
                {
                    OtKernel.RandomCot =>
                        (new UInt128(sender._outputs[2 * i + 1], sender._outputs[2 * i]) ^ (receiver._choices[i] == 0 ? UInt128.Zero : sender._delta))
                        == new UInt128(receiver._outputs[2 * i + 1], receiver._outputs[2 * i]),
                    OtKernel.Correlated41 =>
                        ring.Add(sender._outputs[i], receiver._choices[i] * sender._values[i]) == receiver._outputs[i],
                    _ => sender._values[16 * i + receiver._choices[i]] == receiver._outputs[i],
                };
                if (!ok) return false;
            }
            return true;
        }
    }
}
