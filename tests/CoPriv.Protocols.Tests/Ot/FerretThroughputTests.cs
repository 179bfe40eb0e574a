using System.Diagnostics;
using System.Runtime.Intrinsics;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;
using CoPriv.TestSupport;
using Xunit.Abstractions;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>
/// Steady-state cost of one main iteration of the 128-bit set, per party and per step, on one thread (a benchmark as a
/// heavy test: the first pass warms the JIT and touches the buffers, the second is reported). Wall-clock figures on a
/// busy machine are upper bounds; the test asserts only that the outputs stay correlated.
/// </summary>
public class FerretThroughputTests(ITestOutputHelper output)
{
    [HeavyFact]
    public void One_main_iteration_per_step_on_one_thread()
    {
        var p = FerretParameters.Main128;
        var data = AesPrg.FromTestSeed(90);
        var delta = FerretComponentTests.RandomBlock(data);
        var (q, c, t) = FerretComponentTests.RandomCots(data, p.Reserve, delta);
        var seeds = Enumerable.Range(0, p.NoisyBlocks).Select(_ => FerretComponentTests.RandomBlock(data)).ToArray();
        var hash = new CorrelationRobustHash();
        var pad0 = q.Skip(p.CodeInputs).Select((r, i) => hash.Hash(r, (ulong)i, FerretCotSender.LevelHashDomain)).ToArray();
        var pad1 = q.Skip(p.CodeInputs).Select((r, i) => hash.Hash(r ^ delta, (ulong)i, FerretCotSender.LevelHashDomain)).ToArray();
        var pads = t.Skip(p.CodeInputs).Select((r, i) => hash.Hash(r, (ulong)i, FerretCotSender.LevelHashDomain)).ToArray();
        var v = new Vector128<ulong>[p.Outputs];
        var w = new Vector128<ulong>[p.Outputs];
        var message = new Vector128<ulong>[p.NoisyBlocks * SinglePointCot.MessageBlocks(p.LogBlock)];
        var positions = new int[p.NoisyBlocks];
        var code = new LocalLinearCode(p.CodeInputs, p.Outputs, LocalLinearCode.PublicSeed);
        var times = new double[4];
        for (int pass = 0; pass < 2; pass++)
        {
            long start = Stopwatch.GetTimestamp();
            RegularMultiPointCot.Send(p, seeds, delta, pad0, pad1, v, message, 1);
            times[0] = Lap(ref start);
            RegularMultiPointCot.Receive(p, c, p.CodeInputs, pads, message, w, positions, 1);
            times[1] = Lap(ref start);
            code.Encode(q, v, 1);
            times[2] = Lap(ref start);
            code.Encode(t, w, 1);
            times[3] = Lap(ref start);
        }
        // Each output pair still differs by 0 or Δ (which one is the code's map of the choices, checked elsewhere).
        for (int i = 0; i < p.Outputs; i += 101) Assert.True((v[i] ^ w[i]) == delta || (v[i] ^ w[i]) == Vector128<ulong>.Zero);
        long outputs = FerretCosts.MainOutputs(p);
        output.WriteLine($"one thread per party, {outputs} COTs handed out per iteration: sender MPCOT {times[0]:0.000} s + code " +
            $"{times[2]:0.000} s = {outputs / (times[0] + times[2]) / 1e6:0.0} M COT/s; receiver MPCOT {times[1]:0.000} s + code " +
            $"{times[3]:0.000} s = {outputs / (times[1] + times[3]) / 1e6:0.0} M COT/s");
    }

    private static double Lap(ref long start)
    {
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        start = Stopwatch.GetTimestamp();
        return seconds;
    }
}
