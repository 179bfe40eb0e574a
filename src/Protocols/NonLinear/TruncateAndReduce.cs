using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Truncate-and-reduce: from shares of x in Z_{2^ℓ} to shares of x ≫ s (the top ℓ − s bits) in Z_{2^{ℓ−s}}, which
/// read as signed is floor(x / 2^s) of the signed x — exact, because the wrap of the shares only touches bits the
/// smaller ring drops. (x0 ≫ s) + (x1 ≫ s) + c, with the carry c of the low s bits from Mill(s) and converted into
/// Z_{2^{ℓ−s}} by one correlated OT: Mill(s) + λ + ℓ − s bits (1,318 at ℓ = 41, s = 11). Both parties call it with
/// their shares and get shares in the smaller ring; neither learns x.
/// </summary>
public static class TruncateAndReduce
{
    /// <summary>Shares of x ≫ shift in Z_{2^{ℓ−shift}} (1 ≤ shift &lt; ℓ).</summary>
    public static void Run(PartyContext ctx, Ring ring, int shift, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        int radix = MillionaireCore.DefaultRadix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        Validate(ring, shift, radix);
        if (yShare.Length != xShare.Length)
            throw new ArgumentException($"{xShare.Length} inputs but room for {yShare.Length} results");
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(xShare.Length, ring, shift, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.TruncateAndReduce, ring.Bits, ("shift", shift), ("radix", radix),
            xShare.Length, source);
        Core(ctx, ring, shift, xShare, yShare, radix, source);
    }

    /// <summary>The ring the result lives in.</summary>
    public static Ring OutputRing(Ring ring, int shift) => new(ring.Bits - shift);

    /// <summary>Traffic of <see cref="Run"/> for n elements.</summary>
    public static CommunicationCost Cost(int n, Ring ring, int shift, int radix = MillionaireCore.DefaultRadix,
        TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null)
    {
        Validate(ring, shift, radix);
        var ot = OtCallCost.Resolve(otCosts);
        return ParameterHandshake.Cost + MillionaireProtocol.CoreCost(ot, n, shift, radix, triples)
               + BooleanToArithmetic.CoreCost(ot, n, OutputRing(ring, shift));
    }

    /// <summary>Bit triples one call uses: those of Mill(s).</summary>
    public static long TriplesNeeded(int n, Ring ring, int shift, int radix = MillionaireCore.DefaultRadix)
    {
        Validate(ring, shift, radix);
        return MillionaireProtocol.TriplesNeeded(n, shift, radix);
    }

    private static void Validate(Ring ring, int shift, int radix)
    {
        if (shift < 1 || shift >= ring.Bits)
            throw new ArgumentException($"truncate-and-reduce by {shift} bits is outside 1..{ring.Bits - 1} for a {ring.Bits}-bit ring", nameof(shift));
        MillionaireCore.CheckRadix(radix);
    }

    internal static void Core(PartyContext ctx, Ring ring, int shift, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        int radix, TripleSource source)
    {
        int n = xShare.Length;
        if (n == 0) return;
        var outRing = OutputRing(ring, shift);
        ulong lowMask = (1UL << shift) - 1;
        bool server = ctx.Role == PartyRole.Server;
        var low = ArrayPool<ulong>.Shared.Rent(n);
        var carry = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                ulong l = xShare[i] & lowMask;
                low[i] = server ? l : lowMask - l;
            }
            Comparison[] comparison = [new(shift, low.AsMemory(0, n), carry.AsMemory(0, n), Memory<byte>.Empty)];
            MillionaireCore.Run(ctx, radix, comparison, 0, source).Dispose();
            var carryArith = low.AsSpan(0, n);
            BooleanToArithmetic.Core(ctx, outRing, carry.AsSpan(0, n), carryArith);
            for (int i = 0; i < n; i++) yShare[i] = (((xShare[i] & ring.Mask) >> shift) + carryArith[i]) & outRing.Mask;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(low);
            ArrayPool<byte>.Shared.Return(carry);
        }
    }
}
