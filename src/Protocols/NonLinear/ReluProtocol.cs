using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// ReLU on additive shares: y = x · DReLU(x), the DReLU bit from <see cref="DreluProtocol"/> (Mill(ℓ − 1)) and the
/// product from a multiplexer with one OT per direction (see <see cref="ReluVariant"/>). Both parties call it with
/// their shares of x and get additive shares of ReLU(x) (and, if asked, XOR shares of the DReLU bit); neither learns x,
/// the sign or the result.
/// </summary>
public static class ReluProtocol
{
    public const ReluVariant DefaultVariant = ReluVariant.ChosenMessageOt;

    /// <summary>The millionaires' digit width m a ReLU uses unless told otherwise.</summary>
    public const int DefaultRadix = MillionaireCore.DefaultRadix;

    /// <summary>Shares of max(x, 0) for every element (signed reading of Z_{2^ℓ}).</summary>
    public static void Run(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        ReluVariant variant = DefaultVariant, int radix = MillionaireCore.DefaultRadix) =>
        Run(ctx, ring, xShare, yShare, Span<byte>.Empty, variant, radix);

    /// <summary>
    /// Shares of max(x, 0), and XOR shares of DReLU(x) = [x ≥ 0] in <paramref name="dreluShare"/> (pass an empty span
    /// when not needed) — e.g. for a truncation or a backward selection that reuses the sign.
    /// </summary>
    public static void Run(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        Span<byte> dreluShare, ReluVariant variant = DefaultVariant, int radix = MillionaireCore.DefaultRadix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ring.Bits < 2) throw new ArgumentException("ReLU needs a ring of at least 2 bits", nameof(ring));
        MillionaireCore.CheckRadix(radix);
        if (yShare.Length != xShare.Length || (!dreluShare.IsEmpty && dreluShare.Length != xShare.Length))
            throw new ArgumentException($"{xShare.Length} inputs but room for {yShare.Length} results ({dreluShare.Length} sign bits)");
        if (!Enum.IsDefined(variant)) throw new ArgumentException($"unknown ReLU variant {variant}", nameof(variant));
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(xShare.Length, ring, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.Relu, ring.Bits, ("radix", radix), ("variant", (int)variant),
            xShare.Length, source);
        Core(ctx, ring, xShare, yShare, dreluShare, variant, radix, source);
    }

    /// <summary>Traffic of <see cref="Run(PartyContext, Ring, ReadOnlySpan{ulong}, Span{ulong}, ReluVariant, int)"/>.</summary>
    public static CommunicationCost Cost(int n, Ring ring, ReluVariant variant = DefaultVariant,
        int radix = MillionaireCore.DefaultRadix, TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null) =>
        ParameterHandshake.Cost + CoreCost(OtCallCost.Resolve(otCosts), n, ring, variant, radix, triples);

    /// <summary>Bit triples one call uses: those of its DReLU.</summary>
    public static long TriplesNeeded(int n, Ring ring, int radix = MillionaireCore.DefaultRadix) =>
        DreluProtocol.TriplesNeeded(n, ring, radix);

    internal static CommunicationCost CoreCost(OtBackendCosts ot, int n, Ring ring, ReluVariant variant, int radix, TripleSource triples) =>
        DreluProtocol.CoreCost(ot, n, ring, radix, triples) + Multiplexer.CoreCost(ot, n, ring, Form(variant));

    private static SelectionOt Form(ReluVariant variant) =>
        variant == ReluVariant.ChosenMessageOt ? SelectionOt.ChosenMessage : SelectionOt.Correlated;

    /// <summary>ReLU without the handshake; y may alias x.</summary>
    internal static void Core(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        Span<byte> dreluShare, ReluVariant variant, int radix, TripleSource source)
    {
        int n = xShare.Length;
        var bits = ArrayPool<byte>.Shared.Rent(Math.Max(n, 1));
        try
        {
            var drelu = bits.AsSpan(0, n);
            DreluProtocol.Core(ctx, ring, xShare, drelu, radix, complement: true, source);
            if (!dreluShare.IsEmpty) drelu.CopyTo(dreluShare);
            Multiplexer.Core(ctx, ring, drelu, xShare, yShare, Form(variant));
        }
        finally { ArrayPool<byte>.Shared.Return(bits); }
    }
}
