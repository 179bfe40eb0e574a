using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>Running the two OT directions at once changes neither the results nor a single byte or round.</summary>
public class ConcurrentDirectionsTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Relu_and_argmax_are_the_same_with_concurrent_directions(bool serverConcurrent, bool clientConcurrent)
    {
        var ring = new Ring(41);
        var prg = AesPrg.FromTestSeed(60);
        var x = Shares.Values(ring, prg, 2_000, 11);
        var (x0, x1) = Shares.Split(ring, prg, x);
        int n = x.Length;
        using var session = SessionPair.Create();
        OtDirections.RunConcurrently(session.Server, serverConcurrent);
        OtDirections.RunConcurrently(session.Client, clientConcurrent);
        Assert.Equal(serverConcurrent, OtDirections.RunsConcurrently(session.Server));
        foreach (var variant in Enum.GetValues<ReluVariant>())
        {
            var run = session.Run(
                ctx => { var y = new ulong[n]; ReluProtocol.Run(ctx, ring, x0, y, variant); return y; },
                ctx => { var y = new ulong[n]; ReluProtocol.Run(ctx, ring, x1, y, variant); return y; });
            var y = Shares.Reconstruct(ring, run.Server, run.Client);
            for (int i = 0; i < n; i++) Assert.Equal(NonLinearReference.Relu(ring, x[i]), y[i]);
            Assert.Equal(ReluProtocol.Cost(n, ring, variant), run.Cost);
        }

        // Scores within half the ring, so that every difference fits.
        const int classes = 10, rows = 200;
        var scores = x.Take(rows * classes).Select(v => ring.FromSigned(ring.ToSigned(v) >> 2)).ToArray();
        var (s0, s1) = Shares.Split(ring, prg, scores);
        var argmax = session.Run(
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, ring, s0, classes, k); return k; },
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, ring, s1, classes, k); return k; });
        var expected = new int[rows];
        NonLinearReference.ArgMax(ring, scores, classes, expected);
        Assert.Equal(expected, argmax.Client);
    }

    [Fact]
    public void A_failing_peer_stops_both_directions()
    {
        var ring = new Ring(32);
        using var session = SessionPair.Create();
        OtDirections.RunConcurrently(session.Server, true);
        OtDirections.RunConcurrently(session.Client, true);
        Assert.ThrowsAny<ProtocolException>(() => session.Run(
            ctx => { ReluProtocol.Run(ctx, ring, new ulong[1000], new ulong[1000]); return 0; },
            ctx => { ctx.Channel.Fail("client gave up"); return 0; }));
    }
}
