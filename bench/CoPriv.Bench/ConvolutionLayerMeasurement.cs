using System.Diagnostics;
using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Bench;

/// <summary>
/// One secure convolution layer's measurement: traffic per phase beside the cost model's bytes, seconds of the
/// slower party per phase, each party's thread CPU seconds (null where the OS has no thread CPU clock), and whether
/// the output shares add up to the cleartext reference. <see cref="Seconds"/> is the fastest timed run's,
/// <see cref="SecondsMedian"/> the median over the timed runs.
/// </summary>
public sealed record ConvolutionLayerResult(string Protocol, string Shape, string Orientation, long TotalBytes,
    long PreprocessingBytes, long OnlineBytes, long PredictedBytes, long Rounds, double Seconds, double PreprocessingSeconds,
    double OnlineSeconds, double? ServerCpuSeconds, double? ClientCpuSeconds, bool MatchesReference, int PendingShift)
{
    public double SecondsMedian { get; init; } = Seconds;
}

/// <summary>
/// Runs one secure convolution layer (im2col, Winograd F(2×2,3×3) or F(4×4,3×3), or the polyphase stride-2
/// protocol) with the server and the client each on its own thread over an in-memory channel, on random weights and
/// input from a seed, and checks the result against the cleartext reference: the harness of `copriv bench conv`.
/// </summary>
public static class ConvolutionLayerMeasurement
{
    /// <summary>The protocols a layer can run with, by the names `copriv bench conv --protocol` takes.</summary>
    public static IReadOnlyList<string> Protocols { get; } = ["cryptflow2", "winograd2", "winograd4", "polyphase"];

    /// <summary>CrypTFlow2 lets the client receive every product; CoPriv's protocols pick the cheaper orientation.</summary>
    public static OrientationPolicy DefaultOrientation(string protocol) =>
        protocol == "cryptflow2" ? OrientationPolicy.ClientReceives : OrientationPolicy.Cheaper;

    /// <summary>
    /// Runs the layer <paramref name="warmups"/> times untimed (fresh seeds, so the JIT has optimized the hot loops),
    /// then <paramref name="runs"/> times timed on <paramref name="seed"/>: the fastest run is reported, as the one
    /// least disturbed by other processes, and it matches the reference only if every run did.
    /// </summary>
    public static ConvolutionLayerResult Measure(ConvShape shape, string protocol, LinearLayerOptions options,
        int? extraBits, ulong seed, int warmups, int runs)
    {
        if (!Protocols.Contains(protocol))
            throw new ArgumentException($"unknown convolution protocol '{protocol}'", nameof(protocol));
        ArgumentOutOfRangeException.ThrowIfNegative(warmups);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        for (int i = 0; i < warmups; i++) RunLayer(shape, protocol, options, extraBits, seed + 1 + (ulong)i);
        var timed = Enumerable.Range(0, runs).Select(_ => RunLayer(shape, protocol, options, extraBits, seed)).ToList();
        var seconds = timed.Select(r => r.Seconds).Order().ToList();
        return timed.MinBy(r => r.Seconds)! with
        {
            SecondsMedian = seconds[seconds.Count / 2],
            MatchesReference = timed.All(r => r.MatchesReference),
        };
    }

    private static ConvolutionLayerResult RunLayer(ConvShape shape, string protocol, LinearLayerOptions options,
        int? extraBits, ulong seed)
    {
        var ring = options.Ring;
        var weights = RandomSignedValues.Draw(shape.WeightLength, 1L << options.Scale, seed, 1);
        var x = new ulong[shape.InputLength];
        var raw = RandomSignedValues.Draw(shape.InputLength, 1L << options.Scale, seed, 2);
        for (int i = 0; i < x.Length; i++) x[i] = ring.FromSigned(raw[i]);
        var serverShare = new ulong[x.Length];
        AesPrg.FromTestSeed(seed, 3).Fill(serverShare, ring);
        var clientShare = new ulong[x.Length];
        ring.Sub(x, serverShare, clientShare);

        LinearLayerProtocol server, client;
        ulong[] expected;
        WinogradTile? tile = protocol switch { "winograd2" => WinogradTile.F2x2, "winograd4" => WinogradTile.F4x4, _ => null };
        if (tile is { } t)
        {
            var s = WinogradConvolutionProtocol.ForServer(shape, t, weights, [], options, extraBits);
            server = s;
            client = WinogradConvolutionProtocol.ForClient(shape, t, options, extraBits);
            expected = ConvolutionReference.Winograd(ring, shape, s.Transform, weights, x);
        }
        else if (protocol == "polyphase")
        {
            server = PolyphaseConvolutionProtocol.ForServer(shape, weights, [], options);
            client = PolyphaseConvolutionProtocol.ForClient(shape, options);
            expected = ConvolutionReference.Direct(ring, shape, RingMatrix.FromSigned(ring, weights), x);
        }
        else
        {
            server = ConvolutionProtocol.ForServer(shape, weights, [], options);
            client = ConvolutionProtocol.ForClient(shape, options);
            expected = ConvolutionReference.Direct(ring, shape, RingMatrix.FromSigned(ring, weights), x);
        }

        // Both parties finish the base OTs, meet at the barrier, and only then does the clock start.
        using var ready = new Barrier(2);
        var times = new double[2, 2];
        var cpu = new double?[2];
        var run = TwoPartyRunner.Run(
            ch => Party(ch, server, serverShare, ready, seed, times, cpu, 0),
            ch => Party(ch, client, clientShare, ready, seed, times, cpu, 1));
        var sum = new ulong[expected.Length];
        ring.Add(run.Server.Share, run.Client.Share, sum);
        var measured = CommunicationCost.Measured(run.ServerMeter, run.ClientMeter);
        double pre = Math.Max(times[0, 0], times[1, 0]), online = Math.Max(times[0, 1], times[1, 1]);
        var orientation = server switch
        {
            WinogradConvolutionProtocol w => w.Orientation,
            PolyphaseConvolutionProtocol p => p.Orientation,
            _ => ((ConvolutionProtocol)server).Orientation,
        };
        return new ConvolutionLayerResult(protocol, shape.ToString(), orientation.ToString(), measured.TotalBytes,
            measured.PreprocessingBytes, measured.OnlineBytes, server.Cost.TotalBytes, measured.Rounds, pre + online, pre,
            online, cpu[0], cpu[1], sum.AsSpan().SequenceEqual(expected), server.PendingShift);
    }

    private static LinearLayerOutput Party(IChannel ch, LinearLayerProtocol layer, ulong[] input, Barrier ready, ulong seed,
        double[,] times, double?[] cpu, int who)
    {
        var ctx = PartyContext.Create(ch, AesPrg.FromTestSeed(seed, 10 + (ulong)who));
        ready.SignalAndWait();
        var cpuStart = ThreadCpuSeconds();
        var sw = Stopwatch.StartNew();
        layer.Preprocess(ctx);
        times[who, 0] = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var output = layer.Online(ctx, input);
        times[who, 1] = sw.Elapsed.TotalSeconds;
        cpu[who] = ThreadCpuSeconds() - cpuStart;
        return output;
    }

    private static double? ThreadCpuSeconds() => ThreadCpuTime.IsSupported ? ThreadCpuTime.Seconds() : null;
}
