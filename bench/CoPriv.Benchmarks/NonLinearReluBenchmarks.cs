using BenchmarkDotNet.Attributes;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Benchmarks;

/// <summary>
/// One batched ReLU of 65,536 elements, both parties in this process on an in-memory channel, one thread each (or
/// two with both OT directions at once). The base OTs run once in the global setup and are not measured. The client
/// runs on the benchmark thread, the server on a thread of its own that lives as long as the benchmark (so pooled
/// buffers stay with it, as in a real session); an invocation ends when both have their shares.
/// </summary>
[MemoryDiagnoser]
public class NonLinearReluBenchmarks
{
    private const int Elements = 65_536;
    private PartyContext? _server, _client;
    private ulong[] _x0 = [], _x1 = [], _y0 = [], _y1 = [];
    private Ring _ring;
    private Thread? _serverThread;
    private readonly SemaphoreSlim _serverGo = new(0), _serverDone = new(0);
    private volatile bool _stopping;
    private Exception? _serverError;

    [Params(32, 41)]
    public int Ell { get; set; }

    [Params(ReluVariant.ChosenMessageOt, ReluVariant.CorrelatedOtMultiplexer)]
    public ReluVariant Variant { get; set; }

    [Params(1, 2)]
    public int ThreadsPerParty { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ring = new Ring(Ell);
        var data = AesPrg.FromTestSeed(5, (ulong)Ell);
        _x0 = new ulong[Elements];
        _x1 = new ulong[Elements];
        data.Fill(_x0, _ring);
        data.Fill(_x1, _ring);
        _y0 = new ulong[Elements];
        _y1 = new ulong[Elements];
        var (s, c) = InMemoryChannel.CreatePair();
        var server = Task.Run(() => PartyContext.Create(s, AesPrg.FromTestSeed(6, 1)));
        var client = Task.Run(() => PartyContext.Create(c, AesPrg.FromTestSeed(6, 2)));
        _server = server.Result;
        _client = client.Result;
        OtDirections.RunConcurrently(_server, ThreadsPerParty == 2);
        OtDirections.RunConcurrently(_client, ThreadsPerParty == 2);
        _serverThread = new Thread(ServerLoop) { IsBackground = true, Name = "relu-server" };
        _serverThread.Start();
    }

    private void ServerLoop()
    {
        while (true)
        {
            _serverGo.Wait();
            if (_stopping) return;
            try
            {
                ReluProtocol.Run(_server!, _ring, _x0, _y0, Variant);
            }
            catch (Exception e)
            {
                _serverError = e;
            }
            _serverDone.Release();
        }
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void Relu()
    {
        _serverGo.Release();
        ReluProtocol.Run(_client!, _ring, _x1, _y1, Variant);
        _serverDone.Wait();
        if (_serverError is { } e) throw new InvalidOperationException("the server side failed", e);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _serverGo.Release();
        _serverThread?.Join();
        _server?.Dispose();
        _client?.Dispose();
    }
}
