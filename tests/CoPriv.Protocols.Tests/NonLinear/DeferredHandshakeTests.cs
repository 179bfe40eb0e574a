using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// A non-linear call's parameter handshake costs no flight of its own: each party sends its half and goes on with the
/// call, and reads the peer's half just before its first receive — so the check still comes before any of the peer's
/// protocol bytes is read.
/// </summary>
public class DeferredHandshakeTests
{
    /// <summary>A channel end that logs every send and receive of its streams, in order.</summary>
    private sealed class LoggingChannel(IChannel inner) : IChannel
    {
        private readonly List<(bool Send, string Stream)> _log = [];
        public PartyRole Role => inner.Role;
        public TrafficMeter Meter => inner.Meter;
        public IMessageStream Stream(string name) => new Logged(this, inner.Stream(name));
        public void Fail(string reason) => inner.Fail(reason);
        public void Dispose() => inner.Dispose();
        public void Clear() { lock (_log) _log.Clear(); }
        public IReadOnlyList<(bool Send, string Stream)> Log { get { lock (_log) return _log.ToList(); } }

        private sealed class Logged(LoggingChannel owner, IMessageStream stream) : IMessageStream
        {
            public string Name => stream.Name;
            public void Send(ReadOnlySpan<byte> message) { lock (owner._log) owner._log.Add((true, Name)); stream.Send(message); }
            public void Receive(Span<byte> message) { stream.Receive(message); lock (owner._log) owner._log.Add((false, Name)); }
        }
    }

    private static readonly Dictionary<string, Action<PartyContext>> Calls = new()
    {
        ["ReLU"] = ctx => ReluProtocol.Run(ctx, new Ring(41), new ulong[64], new ulong[64]),
        ["max pool, windows of two"] = ctx => MaxPoolProtocol.Run(ctx, new Ring(41), new ulong[64], 2, new ulong[32]),
        ["argmax to shares, three classes"] = ctx =>
            ArgMaxProtocol.RunShared(ctx, new Ring(41), new ulong[30], 3, new ulong[10], new ulong[10]),
        ["argmax revealed, three classes"] = ctx => ArgMaxProtocol.RunRevealToClient(ctx, new Ring(41), new ulong[30], 3, new int[10]),
    };

    public static TheoryData<string> CallNames => [.. Calls.Keys];

    [Theory]
    [MemberData(nameof(CallNames))]
    public void The_peer_s_half_is_read_first_yet_a_party_s_first_messages_leave_before_it(string call)
    {
        var (s, c) = InMemoryChannel.CreatePair(TimeSpan.FromSeconds(60));
        var logs = new[] { new LoggingChannel(s), new LoggingChannel(c) };
        var contexts = new PartyContext[2];
        Parallel.For(0, 2, i => contexts[i] = PartyContext.Create(logs[i], AesPrg.FromTestSeed(3, (ulong)i + 1)));
        foreach (var log in logs) log.Clear();

        Parallel.For(0, 2, i => Calls[call](contexts[i]));

        foreach (var log in logs.Select(l => l.Log))
        {
            var firstReceive = log.First(op => !op.Send);
            Assert.Equal(ParameterHandshake.StreamName, firstReceive.Stream);
            Assert.True(log.Count(op => op.Send && op.Stream == ParameterHandshake.StreamName) >= 1);
        }
        // The party that opens the call (the leaf OTs' first message) sends it before reading the peer's half.
        Assert.Contains(logs, l => l.Log.TakeWhile(op => op.Send).Any(op => op.Stream != ParameterHandshake.StreamName));
        foreach (var ctx in contexts) ctx.Dispose();
    }
}
