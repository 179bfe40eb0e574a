using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>Bit triples made in pre-processing move their traffic out of the online phase and change no result.</summary>
public class TripleStoreTests
{
    [Fact]
    public void Stored_triples_move_the_triple_traffic_to_preprocessing()
    {
        var ring = new Ring(41);
        var prg = AesPrg.FromTestSeed(70);
        var x = Shares.Values(ring, prg, 1_000, 11);
        var (x0, x1) = Shares.Split(ring, prg, x);
        int n = x.Length;
        long needed = ReluProtocol.TriplesNeeded(n, ring) + FaithfulTruncation.TriplesNeeded(n, ring, 11, MsbKnowledge.NonNegative);
        using var session = SessionPair.Create();

        var fill = session.Run(
            ctx => { BitTripleStore.Fill(ctx, (int)needed); return BitTripleStore.Of(ctx).Available; },
            ctx => { BitTripleStore.Fill(ctx, (int)needed); return BitTripleStore.Of(ctx).Available; });
        Assert.Equal(needed, fill.Server);
        Assert.Equal(needed, fill.Client);
        Assert.Equal(BitTripleStore.FillCost((int)needed), fill.Cost);
        Assert.Equal(0, fill.Cost.OnlineBytes);

        var relu = session.Run(
            ctx => { var y = new ulong[n]; ReluProtocol.Run(ctx, ring, x0, y); return y; },
            ctx => { var y = new ulong[n]; ReluProtocol.Run(ctx, ring, x1, y); return y; });
        var y = Shares.Reconstruct(ring, relu.Server, relu.Client);
        for (int i = 0; i < n; i++) Assert.Equal(NonLinearReference.Relu(ring, x[i]), y[i]);
        Assert.Equal(ReluProtocol.Cost(n, ring, triples: TripleSource.Store), relu.Cost);
        Assert.Equal(ReluProtocol.Cost(n, ring).TotalBytes - BitTripleStore.FillCost((int)ReluProtocol.TriplesNeeded(n, ring)).TotalBytes
                     + ParameterHandshakeCost, relu.Cost.TotalBytes);

        var (r0, r1) = Shares.Split(ring, prg, y);
        var trunc = session.Run(
            ctx => { var t = new ulong[n]; FaithfulTruncation.Run(ctx, ring, 11, r0, t, MsbKnowledge.NonNegative); return t; },
            ctx => { var t = new ulong[n]; FaithfulTruncation.Run(ctx, ring, 11, r1, t, MsbKnowledge.NonNegative); return t; });
        var t = Shares.Reconstruct(ring, trunc.Server, trunc.Client);
        for (int i = 0; i < n; i++) Assert.Equal(NonLinearReference.FaithfulTruncate(ring, y[i], 11), t[i]);
        Assert.Equal(FaithfulTruncation.Cost(n, ring, 11, MsbKnowledge.NonNegative, triples: TripleSource.Store), trunc.Cost);
        Assert.Equal(0, BitTripleStore.Of(session.Server).Available);
        Assert.Equal(0, BitTripleStore.Of(session.Client).Available);
    }

    private static long ParameterHandshakeCost => 2 * MillionaireTests.ParameterHandshakeBytes;

    [Fact]
    public void A_call_needing_more_than_the_store_holds_makes_its_own_triples()
    {
        var ring = new Ring(32);
        const int n = 500;
        var x0 = new ulong[n];
        var x1 = new ulong[n];
        using var session = SessionPair.Create();
        session.Run(ctx => { BitTripleStore.Fill(ctx, 100); return 0; }, ctx => { BitTripleStore.Fill(ctx, 100); return 0; });
        var run = session.Run(
            ctx => { ReluProtocol.Run(ctx, ring, x0, new ulong[n]); return 0; },
            ctx => { ReluProtocol.Run(ctx, ring, x1, new ulong[n]); return 0; });
        Assert.Equal(ReluProtocol.Cost(n, ring), run.Cost);
        Assert.Equal(100, BitTripleStore.Of(session.Server).Available);
        Assert.Equal(100, BitTripleStore.Of(session.Client).Available);
    }

    [Fact]
    public void A_store_holds_three_bytes_per_triple_of_capacity_and_doubles_its_capacity_when_it_grows()
    {
        using var session = SessionPair.Create();
        Assert.Equal(0, BitTripleStore.Of(session.Server).HeldBytes);
        session.Run(ctx => { BitTripleStore.Fill(ctx, 100); return 0; }, ctx => { BitTripleStore.Fill(ctx, 100); return 0; });
        Assert.Equal((300L, 300L), (BitTripleStore.Of(session.Server).HeldBytes, BitTripleStore.Of(session.Client).HeldBytes));
        session.Run(ctx => { BitTripleStore.Fill(ctx, 60); return 0; }, ctx => { BitTripleStore.Fill(ctx, 60); return 0; });
        Assert.Equal((600L, 600L), (BitTripleStore.Of(session.Server).HeldBytes, BitTripleStore.Of(session.Client).HeldBytes));
    }

    [Fact]
    public void Parties_deciding_differently_about_stored_triples_are_told_so()
    {
        var ring = new Ring(32);
        using var session = SessionPair.Create();
        int fits = (int)ReluProtocol.TriplesNeeded(100, ring);
        session.Run(ctx => { BitTripleStore.Fill(ctx, fits); return 0; }, ctx => { BitTripleStore.Fill(ctx, fits); return 0; });
        var e = Assert.ThrowsAny<ProtocolException>(() => session.Run(
            ctx => { ReluProtocol.Run(ctx, ring, new ulong[100], new ulong[100]); return 0; },
            ctx => { ReluProtocol.Run(ctx, ring, new ulong[200], new ulong[200]); return 0; }));
        Assert.Contains("pre-processing store", e.Message);
    }

    [Fact]
    public void Filling_books_everything_as_preprocessing_even_inside_an_online_scope()
    {
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { using (ctx.Meter.InPhase(Phase.Online)) BitTripleStore.Fill(ctx, 64); return 0; },
            ctx => { BitTripleStore.Fill(ctx, 64); return 0; });
        Assert.Equal(0, run.Cost.OnlineBytes);
        Assert.Equal(BitTripleStore.FillCost(64), run.Cost);
    }
}
