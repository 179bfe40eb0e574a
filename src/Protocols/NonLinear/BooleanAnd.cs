using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Batched AND of XOR-shared bits: z = x ∧ y. The bit triples for the whole batch are made first (two per 1-of-16 OT,
/// 144 bits per triple), then every gate is opened at once (4 bits): λ + 20 = 148 bits per AND. Both parties call it
/// with their bit shares (0/1 bytes) and get XOR shares of the result; neither learns x, y or z.
/// </summary>
public static class BooleanAnd
{
    public static void Run(PartyContext ctx, ReadOnlySpan<byte> xShare, ReadOnlySpan<byte> yShare, Span<byte> zShare)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (yShare.Length != xShare.Length || zShare.Length != xShare.Length)
            throw new ArgumentException($"AND operands differ in length: {xShare.Length}, {yShare.Length} → {zShare.Length}");
        foreach (var b in xShare)
            if (b > 1) throw new ArgumentException($"bit shares must be 0 or 1, got {b}", nameof(xShare));
        foreach (var b in yShare)
            if (b > 1) throw new ArgumentException($"bit shares must be 0 or 1, got {b}", nameof(yShare));
        var source = BitTripleStore.SourceFor(ctx, xShare.Length);
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.BitAnd, 1, ("radix", 0), ("variant", 0), xShare.Length, source);
        using var triples = source == TripleSource.Store
            ? BitTripleStore.Of(ctx).Take(xShare.Length)
            : BitTriples.Generate(ctx, ctx.Prg, xShare.Length);
        AndGates.Evaluate(ctx, xShare, yShare, zShare, triples);
    }

    /// <summary>Traffic of <see cref="Run"/> for n gates: triples (unless stored) plus openings.</summary>
    /// <remarks>
    /// With the triples from the store, each party's first opening goes out on the handshake's stream right after its
    /// half of the handshake (which is checked before the peer's opening is read): one flight per party for both.
    /// </remarks>
    public static CommunicationCost Cost(int n, TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null) =>
        (triples == TripleSource.Store && n > 0 ? ParameterHandshake.Cost with { Rounds = 0 } : ParameterHandshake.Cost)
        + MillionaireProtocol.TripleCost(OtCallCost.Resolve(otCosts), n, triples) + AndGates.OpeningCost(n);

    /// <summary>The bit triples alone for n gates (144 bits each).</summary>
    public static CommunicationCost TripleCost(int n, OtBackendCosts? otCosts = null) => BitTriples.Cost(n, OtCallCost.Resolve(otCosts));
}
