using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// The edges of the Boolean layer that the gate tests do not reach: operand checks inside the AND layer, a triple batch
/// asked for more than it holds, a generation that fails, and the pre-processing store across takes and refills
/// (mutation testing found each of these unguarded).
/// </summary>
public class BooleanEdgeTests
{
    [Theory]
    [InlineData("y shorter")]
    [InlineData("z shorter")]
    public void The_and_layer_refuses_operands_of_different_lengths_before_sending_anything(string which)
    {
        using var session = SessionPair.Create(120);
        var ctx = session.Server;
        ctx.Meter.Reset();
        using var triples = BitTriples.Copy(new byte[4], new byte[4], new byte[4]);
        var x = new byte[4];
        var y = new byte[which == "y shorter" ? 3 : 4];
        var z = new byte[which == "z shorter" ? 3 : 4];

        Assert.Throws<ArgumentException>(() => AndGates.Evaluate(ctx, x, y, z, triples));
        Assert.Equal(0, CommunicationCost.Measured(ctx.Meter, session.Client.Meter).TotalBytes);
    }

    [Fact]
    public void A_triple_batch_hands_out_what_it_holds_and_refuses_more()
    {
        using var triples = BitTriples.Copy(new byte[5], new byte[5], new byte[5]);
        Assert.Equal(new Range(0, 3), triples.Take(3));
        Assert.Throws<InvalidOperationException>(() => triples.Take(3));
        Assert.Equal(new Range(3, 5), triples.Take(2));
        Assert.Throws<InvalidOperationException>(() => triples.Take(1));
    }

    [Theory]
    [InlineData("server")]
    [InlineData("client")]
    public void A_triple_generation_whose_peer_fails_throws_instead_of_returning_triples(string generating)
    {
        using var session = SessionPair.Create(121);
        var (mine, peer) = generating == "server" ? (session.Server, session.Client) : (session.Client, session.Server);
        peer.Channel.Fail("the peer stopped");
        Assert.ThrowsAny<Exception>(() => BitTriples.Generate(mine, mine.Prg, 64).Dispose());
    }

    [Fact]
    public void A_negative_fill_is_refused_by_both_parties_before_anything_is_sent()
    {
        using var session = SessionPair.Create(122);
        var run = session.Run(Fill, Fill);
        Assert.Equal("count", run.Server);
        Assert.Equal("count", run.Client);
        Assert.Equal(0, run.Cost.TotalBytes);
        Assert.Equal(0, BitTripleStore.Of(session.Server).Available);

        static string? Fill(PartyContext ctx) =>
            Assert.Throws<ArgumentOutOfRangeException>(() => BitTripleStore.Fill(ctx, -1)).ParamName;
    }

    [Fact]
    public void An_empty_batch_runs_when_only_one_party_has_looked_at_its_store()
    {
        using var session = SessionPair.Create(123);
        Assert.Equal(0, BitTripleStore.Of(session.Server).Available); // creates the server's (empty) store only
        var run = session.Run(
            ctx => { BooleanAnd.Run(ctx, [], [], []); return 0; },
            ctx => { BooleanAnd.Run(ctx, [], [], []); return 0; });
        Assert.Equal(BooleanAnd.Cost(0), run.Cost);
    }

    [Fact]
    public void An_empty_batch_prices_its_handshake_flight_whichever_triple_source_is_named()
    {
        // Only a call that goes on to open something sends its handshake in the same flight; an empty one checks at once.
        Assert.Equal(BooleanAnd.Cost(0), BooleanAnd.Cost(0, TripleSource.Store));
    }

    [Fact]
    public void An_empty_store_refuses_to_hand_out_a_triple()
    {
        using var session = SessionPair.Create(124);
        Assert.Throws<InvalidOperationException>(() => BitTripleStore.Of(session.Server).Take(1));
    }

    [Fact]
    public void And_gates_take_their_triples_from_a_filled_store_and_only_open_online()
    {
        const int n = 200;
        var prg = AesPrg.FromTestSeed(125);
        var x = Shares.RandomBits(prg, n);
        var y = Shares.RandomBits(prg, n);
        var (x0, x1) = SplitBits(Shares.RandomBits(prg, n), x);
        var (y0, y1) = SplitBits(Shares.RandomBits(prg, n), y);
        using var session = SessionPair.Create(125);
        session.Run(ctx => { BitTripleStore.Fill(ctx, n); return 0; }, ctx => { BitTripleStore.Fill(ctx, n); return 0; });

        var and = session.Run(
            ctx => { var z = new byte[n]; BooleanAnd.Run(ctx, x0, y0, z); return z; },
            ctx => { var z = new byte[n]; BooleanAnd.Run(ctx, x1, y1, z); return z; });

        var z = Shares.ReconstructBits(and.Server, and.Client);
        for (int i = 0; i < n; i++) Assert.Equal(x[i] & y[i], z[i]);
        Assert.Equal(BooleanAnd.Cost(n, TripleSource.Store), and.Cost);
        Assert.Equal(0, BitTripleStore.Of(session.Server).Available);
        Assert.Equal(0, BitTripleStore.Of(session.Client).Available);
    }

    [Fact]
    public void Stored_triples_stay_valid_triples_matched_across_the_parties_through_takes_compaction_and_growth()
    {
        using var session = SessionPair.Create(126);
        var run = session.Run(Party, Party);

        var a = Shares.ReconstructBits(run.Server[0], run.Client[0]);
        var b = Shares.ReconstructBits(run.Server[1], run.Client[1]);
        var c = Shares.ReconstructBits(run.Server[2], run.Client[2]);
        Assert.Equal(127, a.Length);
        // A triple taken out of step by one party, or one whose shares were lost, breaks c = a ∧ b.
        for (int i = 0; i < a.Length; i++) Assert.True((a[i] & b[i]) == c[i], $"triple {i}: c ≠ a ∧ b");
        foreach (var share in run.Server.Concat(run.Client))
        {
            int ones = share.Sum(v => v);
            Assert.True(ones is > 127 / 4 and < 3 * 127 / 4, $"{ones} of 127 share bits are 1");
        }

        static byte[][] Party(PartyContext ctx)
        {
            var store = BitTripleStore.Of(ctx);
            BitTripleStore.Fill(ctx, 64);
            store.Take(61).Dispose();
            BitTripleStore.Fill(ctx, 61); // 3 + 61 = 64: fits once what was taken is compacted away
            store.Take(1).Dispose();
            BitTripleStore.Fill(ctx, 64); // 63 + 64 = 127: grows
            Assert.Equal(127, store.Available);
            using var all = store.Take(127);
            return [all.A.ToArray(), all.B.ToArray(), all.C.ToArray()];
        }
    }

    private static (byte[] Server, byte[] Client) SplitBits(byte[] mask, byte[] bits)
    {
        var other = new byte[bits.Length];
        for (int i = 0; i < bits.Length; i++) other[i] = (byte)(bits[i] ^ mask[i]);
        return (mask, other);
    }
}
