using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>Parties that disagree on what they run stop with a clear ProtocolException, never with wrong results.</summary>
public class ParameterMismatchTests
{
    private static ProtocolException RunMismatched(Action<PartyContext> server, Action<PartyContext> client)
    {
        using var session = SessionPair.Create();
        return Assert.ThrowsAny<ProtocolException>(() => session.Run(
            ctx => { server(ctx); return 0; },
            ctx => { client(ctx); return 0; }));
    }

    [Fact]
    public void Different_batch_sizes_are_reported()
    {
        var e = RunMismatched(
            ctx => ReluProtocol.Run(ctx, new Ring(32), new ulong[100], new ulong[100]),
            ctx => ReluProtocol.Run(ctx, new Ring(32), new ulong[101], new ulong[101]));
        Assert.Contains("batch size mismatch", e.Message);
        Assert.Contains("100", e.Message);
        Assert.Contains("101", e.Message);
    }

    [Fact]
    public void Different_rings_are_reported()
    {
        var e = RunMismatched(
            ctx => FaithfulTruncation.Run(ctx, new Ring(41), 11, new ulong[10], new ulong[10], MsbKnowledge.Unknown),
            ctx => FaithfulTruncation.Run(ctx, new Ring(32), 11, new ulong[10], new ulong[10], MsbKnowledge.Unknown));
        Assert.Contains("ring mismatch", e.Message);
        Assert.Contains("ℓ = 41", e.Message);
        Assert.Contains("ℓ = 32", e.Message);
    }

    [Fact]
    public void Different_shifts_are_reported()
    {
        var e = RunMismatched(
            ctx => FaithfulTruncation.Run(ctx, new Ring(41), 11, new ulong[10], new ulong[10], MsbKnowledge.Unknown),
            ctx => FaithfulTruncation.Run(ctx, new Ring(41), 12, new ulong[10], new ulong[10], MsbKnowledge.Unknown));
        Assert.Contains("shift", e.Message);
    }

    [Fact]
    public void Different_radices_are_reported()
    {
        var e = RunMismatched(
            ctx => MillionaireProtocol.Run(ctx, 31, new ulong[10], new byte[10], 4),
            ctx => MillionaireProtocol.Run(ctx, 31, new ulong[10], new byte[10], 5));
        Assert.Contains("radix", e.Message);
    }

    [Fact]
    public void Different_relu_variants_are_reported()
    {
        var e = RunMismatched(
            ctx => ReluProtocol.Run(ctx, new Ring(32), new ulong[10], new ulong[10], ReluVariant.ChosenMessageOt),
            ctx => ReluProtocol.Run(ctx, new Ring(32), new ulong[10], new ulong[10], ReluVariant.CorrelatedOtMultiplexer));
        Assert.Contains("variant", e.Message);
    }

    [Fact]
    public void Different_protocols_are_reported()
    {
        var e = RunMismatched(
            ctx => ReluProtocol.Run(ctx, new Ring(32), new ulong[10], new ulong[10]),
            ctx => DreluProtocol.Run(ctx, new Ring(32), new ulong[10], new byte[10]));
        Assert.Contains("ReLU", e.Message);
        Assert.Contains("DReLU", e.Message);
    }

    [Fact]
    public void Different_divisors_are_reported()
    {
        var e = RunMismatched(
            ctx => PublicDivision.Run(ctx, new Ring(32), 9, new ulong[10], new ulong[10]),
            ctx => PublicDivision.Run(ctx, new Ring(32), 10, new ulong[10], new ulong[10]));
        Assert.Contains("divisor", e.Message);
    }

    // A call that receives nothing after its handshake (a window of one, a single class, an empty batch) has no later
    // receive to defer the peer's half to: each party checks it at once, and each must fail on its own.
    private static readonly Dictionary<string, (Action<PartyContext> Server, Action<PartyContext> Client)> ReceiveNothingLater = new()
    {
        ["max pool, windows of one"] = (
            ctx => MaxPoolProtocol.Run(ctx, new Ring(32), new ulong[4], 1, new ulong[4], radix: 4),
            ctx => MaxPoolProtocol.Run(ctx, new Ring(32), new ulong[4], 1, new ulong[4], radix: 5)),
        ["argmax to shares, one class"] = (
            ctx => ArgMaxProtocol.RunShared(ctx, new Ring(32), new ulong[3], 1, new ulong[3], new ulong[3], radix: 4),
            ctx => ArgMaxProtocol.RunShared(ctx, new Ring(32), new ulong[3], 1, new ulong[3], new ulong[3], radix: 5)),
        ["argmax revealed, one class"] = (
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, new Ring(32), new ulong[3], 1, new int[3], radix: 4),
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, new Ring(32), new ulong[3], 1, new int[3], radix: 5)),
        ["ReLU, empty batch"] = (
            ctx => ReluProtocol.Run(ctx, new Ring(32), [], []),
            ctx => ReluProtocol.Run(ctx, new Ring(41), [], [])),
    };

    public static TheoryData<string> CallsThatReceiveNothingLater => [.. ReceiveNothingLater.Keys];

    [Theory]
    [MemberData(nameof(CallsThatReceiveNothingLater))]
    public void A_call_that_receives_nothing_after_its_handshake_fails_at_each_party(string call)
    {
        var (server, client) = ReceiveNothingLater[call];
        using var session = SessionPair.Create();
        var run = session.Run(ctx => Record.Exception(() => server(ctx)), ctx => Record.Exception(() => client(ctx)));
        // Each fails through its own check (not because the other closed the channel).
        Assert.IsType<ProtocolException>(run.Server);
        Assert.IsType<ProtocolException>(run.Client);
    }

    [Fact]
    public void Local_misuse_is_an_argument_exception()
    {
        using var session = SessionPair.Create();
        Assert.Throws<ArgumentException>(() => ReluProtocol.Run(session.Server, new Ring(32), new ulong[3], new ulong[2]));
        Assert.Throws<ArgumentException>(() => MillionaireProtocol.Run(session.Server, 8, [256UL], new byte[1]));
        Assert.Throws<ArgumentException>(() => MillionaireProtocol.Run(session.Server, 8, [1UL], new byte[1], 9));
        Assert.Throws<ArgumentException>(() =>
            FaithfulTruncation.Run(session.Server, new Ring(16), 16, new ulong[1], new ulong[1], MsbKnowledge.Unknown));
        Assert.Throws<ArgumentException>(() => BooleanAnd.Run(session.Server, [2], [0], new byte[1]));
        Assert.Throws<ArgumentException>(() => PublicDivision.Run(session.Server, new Ring(8), 0, new ulong[1], new ulong[1]));
    }
}
