using BenchmarkDotNet.Attributes;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Benchmarks;

/// <summary>
/// OT-extension kernels with both parties in this process over an in-memory channel, base OTs done once in the
/// global setup. Each invocation runs <see cref="Ots"/> OTs (the sender on a pool thread, the receiver on the
/// benchmark thread); divide by Ots for the per-OT time. Same kernels as `copriv bench ot`.
/// </summary>
[MemoryDiagnoser]
public class OtExtensionBenchmarks
{
    private PartyContext _server = null!, _client = null!;
    private ulong[] _x0 = [], _received = [], _delta = [], _messages = [];
    private byte[] _choices = [];

    [Params(1 << 20)]
    public int Ots { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (s, c) = InMemoryChannel.CreatePair();
        var server = Task.Run(() => PartyContext.Create(s, AesPrg.FromTestSeed(1, 1)));
        _client = PartyContext.Create(c, AesPrg.FromTestSeed(1, 2));
        _server = server.Result;
        var data = AesPrg.FromTestSeed(3);
        _x0 = new ulong[2 * Ots];
        _received = new ulong[2 * Ots];
        _delta = new ulong[Ots];
        data.Fill(_delta, new Ring(41));
        _messages = new ulong[16 * Ots];
        data.Fill(_messages, new Ring(2));
        _choices = new byte[Ots];
        data.Fill(_choices);
        for (int i = 0; i < Ots; i++) _choices[i] &= 15;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server.Dispose();
        _client.Dispose();
    }

    [Benchmark]
    public void RandomCot() => Both(
        () => _server.Ot.Sender.SendRandomCot(_x0),
        () => _client.Ot.Receiver.ReceiveRandomCot(_choices, _received));

    [Benchmark]
    public void Correlated41() => Both(
        () => _server.Ot.Sender.SendCorrelated(_delta, 41, _x0.AsSpan(0, Ots)),
        () => _client.Ot.Receiver.ReceiveCorrelated(Bits(), 41, _received.AsSpan(0, Ots)));

    [Benchmark]
    public void OneOf16Bits2() => Both(
        () => _server.Ot.Sender.SendOneOfN(_messages, 16, 2),
        () => _client.Ot.Receiver.ReceiveOneOfN(_choices, 16, 2, _received.AsSpan(0, Ots)));

    private byte[] Bits()
    {
        for (int i = 0; i < _choices.Length; i++) _choices[i] &= 1;
        return _choices;
    }

    private static void Both(Action sender, Action receiver)
    {
        var s = Task.Run(sender);
        receiver();
        s.Wait();
    }
}

/// <summary>The local kernels of OT extension, per 16,384-row chunk.</summary>
public class OtKernelBenchmarks
{
    private const int Rows = 16_384;
    private readonly ulong[] _columns = new ulong[256 * Rows / 64];
    private readonly ulong[] _rows = new ulong[4 * Rows];
    private readonly ColumnExpander _expander = new(new byte[128 * 16]);
    private ulong _block;

    [GlobalSetup]
    public void Setup() => AesPrg.FromTestSeed(4).Fill(_columns);

    [Benchmark]
    public void Transpose128() => BitMatrixTranspose.ColumnsToRows(_columns, 128, Rows, _rows);

    [Benchmark]
    public void Transpose256() => BitMatrixTranspose.ColumnsToRows(_columns, 256, Rows, _rows);

    [Benchmark]
    public void ExpandColumns128() => _expander.Expand(_block++, Rows, _columns);
}
