using BenchmarkDotNet.Attributes;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Benchmarks;

/// <summary>
/// One secure 3×3 convolution (pre-processing + online) with both parties in this process over an in-memory channel,
/// base OTs done once in the global setup: the layer of `copriv bench conv`. Each invocation builds fresh layer
/// instances (a mask is used once) and runs them; the server on a pool thread, the client on the benchmark thread.
/// </summary>
[MemoryDiagnoser]
public class ConvolutionLayerBenchmarks
{
    private static readonly FixedPoint Format = new(41, 11);
    private PartyContext _server = null!, _client = null!;
    private ConvShape _shape = null!;
    private long[] _weights = [];
    private ulong[] _serverInput = [], _clientInput = [];

    [Params("16x32x32", "64x8x8")]
    public string Layer { get; set; } = "16x32x32";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Layer.Split('x').Select(int.Parse).ToArray();
        _shape = new ConvShape(parts[0], parts[0], parts[1], parts[2], padding: 1);
        var (s, c) = InMemoryChannel.CreatePair();
        var server = Task.Run(() => PartyContext.Create(s, AesPrg.FromTestSeed(1, 1)));
        _client = PartyContext.Create(c, AesPrg.FromTestSeed(1, 2));
        _server = server.Result;
        var data = AesPrg.FromTestSeed(5);
        _weights = new long[_shape.WeightLength];
        for (int i = 0; i < _weights.Length; i++) _weights[i] = (long)(data.NextUInt64() % 4097) - 2048;
        _serverInput = new ulong[_shape.InputLength];
        _clientInput = new ulong[_shape.InputLength];
        data.Fill(_serverInput, Format.Ring);
        data.Fill(_clientInput, Format.Ring);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server.Dispose();
        _client.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Im2col()
    {
        var options = new LinearLayerOptions(Format);
        Both(ConvolutionProtocol.ForServer(_shape, _weights, [], options), ConvolutionProtocol.ForClient(_shape, options));
    }

    [Benchmark]
    public void WinogradF2()
    {
        var options = new LinearLayerOptions(Format, OrientationPolicy.Cheaper);
        Both(WinogradConvolutionProtocol.ForServer(_shape, WinogradTile.F2x2, _weights, [], options),
            WinogradConvolutionProtocol.ForClient(_shape, WinogradTile.F2x2, options));
    }

    [Benchmark]
    public void WinogradF4()
    {
        var options = new LinearLayerOptions(Format, OrientationPolicy.Cheaper);
        Both(WinogradConvolutionProtocol.ForServer(_shape, WinogradTile.F4x4, _weights, [], options),
            WinogradConvolutionProtocol.ForClient(_shape, WinogradTile.F4x4, options));
    }

    private void Both(LinearLayerProtocol server, LinearLayerProtocol client)
    {
        var s = Task.Run(() => server.Run(_server, _serverInput));
        client.Run(_client, _clientInput);
        s.Wait();
    }
}

/// <summary>The layer's own local work: accumulating received OT values into the product share.</summary>
public class LinearKernelBenchmarks
{
    private ulong[] _values = [], _acc = [];

    [Params(16, 256)]
    public int ValuesPerOt { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _values = new ulong[41 * ValuesPerOt * 64];
        AesPrg.FromTestSeed(7).Fill(_values);
        _acc = new ulong[ValuesPerOt];
    }

    /// <summary>64 entries of ℓ = 41 OTs each.</summary>
    [Benchmark]
    public void AccumulateShiftedSums()
    {
        int perEntry = 41 * ValuesPerOt;
        for (int e = 0; e < 64; e++) CorrelatedMatMul.AddShiftedSum(_values.AsSpan(e * perEntry, perEntry), ValuesPerOt, 41, _acc);
    }
}
