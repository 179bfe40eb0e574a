using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>
/// The OT wire format is pinned: with fixed seeds the SHA-256 of every byte sent (per party, per stream, in order,
/// with message lengths) equals a committed baseline, so a change of format is always deliberate. When you change
/// the format on purpose, update <see cref="Baseline"/> in the same commit and say why.
/// </summary>
public class OtWireTraceTests
{
    // Changed when IKNP's Δ got its lowest bit fixed to 1 (Ferret reads receiver choices there).
    private const string Baseline = "3e8e572314a76192b3c2bba4b7f0ac7c099948922f380eb212c4eca6797a911c";

    /// <summary>The same calls over the Ferret backend (the tests' parameters): its setup, iterations and one-bit requests.</summary>
    private const string FerretBaseline = "43e248ed5aaf9ea239732061016bef6f88e1fd93f432205934212e0a1cc14db8";

    [Fact]
    public void Bytes_on_the_wire_from_fixed_seeds_match_the_committed_baseline()
    {
        Assert.Equal(Baseline, TraceHash());
    }

    [Fact]
    public void The_iknp_backend_selected_by_name_puts_the_same_bytes_on_the_wire()
    {
        Assert.Equal(Baseline, TraceHash(OtBackend.Parse("iknp")));
    }

    [Fact]
    public void The_ferret_backend_puts_its_pinned_bytes_on_the_wire()
    {
        Assert.Equal(FerretBaseline, TraceHash(OtBackend.FerretTest));
    }

    [Fact]
    public void The_portable_paths_put_the_same_bytes_on_the_wire()
    {
        using (PortableCodePaths.Force())
            Assert.Equal(Baseline, TraceHash());
    }

    private static string TraceHash(OtBackend? otBackend = null)
    {
        var (s, c) = InMemoryChannel.CreatePair(OtPair.Timeout);
        var server = new RecordingChannel(s);
        var client = new RecordingChannel(c);
        OtPair.Run(server, client, ServerSide, ClientSide, seed: 7, otBackend);
        return RecordingChannel.TraceHash(server, client);
    }

    // One call of every flavour, with inputs from fixed seeds; the server sends, then the client sends.
    private const int N = 700, Bits = 41;

    private static int ServerSide(PartyContext ctx)
    {
        var data = AesPrg.FromTestSeed(70);
        var ring = new Ring(Bits);
        var sender = ctx.Ot.Sender;
        sender.SendChosen(OtFlavourTests.Values(data, N, ring), OtFlavourTests.Values(data, N, ring), Bits);
        sender.SendCorrelated(OtFlavourTests.Values(data, N, ring), Bits, new ulong[N]);
        sender.SendCorrelatedPacked(OtFlavourTests.Values(data, 3 * N, new Ring(8)), 3,
            Enumerable.Range(0, N).Select(i => 1 + i % 8).ToArray(), new ulong[3 * N]);
        sender.SendRandom(new ulong[N], new ulong[N], Bits);
        sender.SendRandomCot(new ulong[2 * N]);
        sender.SendOneOfN(OtFlavourTests.Values(data, 16 * N, new Ring(2)), 16, 2);
        var batch = sender.PrecomputeRandomCot(2 * N);
        batch.SendChosen(OtFlavourTests.Values(data, N, ring), OtFlavourTests.Values(data, N, ring), Bits);
        batch.SendCorrelated(OtFlavourTests.Values(data, N, ring), Bits, new ulong[N]);
        ctx.Ot.Receiver.ReceiveCorrelated(OtFlavourTests.Bits(data, N), Bits, new ulong[N]);
        return 0;
    }

    private static int ClientSide(PartyContext ctx)
    {
        var data = AesPrg.FromTestSeed(71);
        var receiver = ctx.Ot.Receiver;
        receiver.ReceiveChosen(OtFlavourTests.Bits(data, N), Bits, new ulong[N]);
        receiver.ReceiveCorrelated(OtFlavourTests.Bits(data, N), Bits, new ulong[N]);
        receiver.ReceiveCorrelatedPacked(OtFlavourTests.Bits(data, N), 3,
            Enumerable.Range(0, N).Select(i => 1 + i % 8).ToArray(), new ulong[3 * N]);
        receiver.ReceiveRandom(new byte[N], new ulong[N], Bits);
        receiver.ReceiveRandomCot(new byte[N], new ulong[2 * N]);
        var digits = new byte[N];
        data.Fill(digits);
        for (int i = 0; i < N; i++) digits[i] %= 16;
        receiver.ReceiveOneOfN(digits, 16, 2, new ulong[N]);
        var batch = receiver.PrecomputeRandomCot(2 * N);
        batch.ReceiveChosen(OtFlavourTests.Bits(data, N), Bits, new ulong[N]);
        batch.ReceiveCorrelated(OtFlavourTests.Bits(data, N), Bits, new ulong[N]);
        ctx.Ot.Sender.SendCorrelated(OtFlavourTests.Values(data, N, new Ring(Bits)), Bits, new ulong[N]);
        return 0;
    }
}
