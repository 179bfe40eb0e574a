using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Millionaires' comparison x &gt; y of two private unsigned values of <c>bits</c> bits: the server calls
/// <see cref="Run"/> with its x values, the client with its y values; each gets an XOR share (0/1 byte) of the
/// result. Neither party learns anything about the other's values or the result. Radix m (2..8, default 4): q = ⌈ℓ/m⌉
/// digits, one 1-of-2^m OT with 2-bit messages per digit, A = 2(q − 1) − ⌈log₂ q⌉ ANDs from bit triples:
/// Mill(ℓ, m) = q·(2λ + 2^{m+1}) + A·(λ + 20) bits per comparison (3,932 for ℓ = 31, m = 4). A top digit narrower
/// than m is zero-padded and still uses the 1-of-2^m OT, as SCI's WAN build does, so the count matches the formula for
/// every ℓ and m.
/// </summary>
public static class MillionaireProtocol
{
    /// <summary>
    /// XOR shares of x[i] &gt; y[i]. <paramref name="values"/> are this party's inputs (below 2^bits); traffic is booked
    /// in the meter's current phase.
    /// </summary>
    public static void Run(PartyContext ctx, int bits, ReadOnlySpan<ulong> values, Span<byte> greaterShare,
        int radix = MillionaireCore.DefaultRadix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (bits is < 1 or > 64) throw new ArgumentException($"comparison width must be 1..64 bits, got {bits}", nameof(bits));
        MillionaireCore.CheckRadix(radix);
        if (greaterShare.Length != values.Length)
            throw new ArgumentException($"{values.Length} inputs but room for {greaterShare.Length} results");
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        foreach (var v in values)
            if ((v & ~mask) != 0) throw new ArgumentException($"input {v} does not fit in {bits} bits", nameof(values));

        int n = values.Length;
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(n, bits, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.Millionaire, bits, ("radix", radix), ("variant", 0), n, source);
        var input = ArrayPool<ulong>.Shared.Rent(Math.Max(n, 1));
        var output = ArrayPool<byte>.Shared.Rent(Math.Max(n, 1));
        try
        {
            values.CopyTo(input);
            Comparison[] comparison = [new(bits, input.AsMemory(0, n), output.AsMemory(0, n), Memory<byte>.Empty)];
            MillionaireCore.Run(ctx, radix, comparison, 0, source).Dispose();
            output.AsSpan(0, n).CopyTo(greaterShare);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>
    /// Traffic of <see cref="Run"/> for n comparisons, in the online phase (use InPhase to rebook); with
    /// <see cref="TripleSource.Store"/> the triples' share is left out (it was paid in pre-processing).
    /// </summary>
    public static CommunicationCost Cost(int n, int bits, int radix = MillionaireCore.DefaultRadix,
        TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null) =>
        ParameterHandshake.Cost + CoreCost(OtCallCost.Resolve(otCosts), n, bits, radix, triples);

    /// <summary>Bit triples one call of n comparisons uses: A per comparison.</summary>
    public static long TriplesNeeded(int n, int bits, int radix = MillionaireCore.DefaultRadix)
    {
        MillionaireCore.CheckRadix(radix);
        return MillionaireCore.TriplesNeeded([new(bits, n, false)], radix);
    }

    /// <summary>Mill(ℓ, m) for n comparisons without the handshake: what a protocol built on it pays.</summary>
    internal static CommunicationCost CoreCost(OtBackendCosts ot, int n, int bits, int radix, TripleSource triples)
    {
        MillionaireCore.CheckRadix(radix);
        ReadOnlySpan<ComparisonShape> shape = [new(bits, n, false)];
        return TripleCost(ot, TriplesNeeded(n, bits, radix), triples) + MillionaireCore.Cost(ot, shape, radix);
    }

    /// <summary>What making <paramref name="count"/> triples adds to a call: nothing when they come from the store.</summary>
    internal static CommunicationCost TripleCost(OtBackendCosts ot, long count, TripleSource triples) =>
        triples == TripleSource.Store ? CommunicationCost.Zero : BitTriples.Cost(count, ot);
}
