using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// The sign of an additively shared value: msb(x) = msb(x0) ⊕ msb(x1) ⊕ carry, where carry — whether the low ℓ − 1
/// bits of the two shares overflow — is a millionaires' comparison of the server's low bits against 2^{ℓ−1} − 1 minus
/// the client's: Mill(ℓ − 1) bits per element. DReLU(x) = 1 − msb(x) (1 when x ≥ 0). Both parties call it with their
/// shares and get an XOR share of the bit; neither learns x or the bit.
/// </summary>
public static class DreluProtocol
{
    /// <summary>XOR shares of DReLU(x) = [x ≥ 0] (0/1 bytes).</summary>
    public static void Run(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> xShare, Span<byte> dreluShare,
        int radix = MillionaireCore.DefaultRadix)
    {
        Validate(ctx, ring, xShare.Length, dreluShare.Length, radix);
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(xShare.Length, ring, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.Drelu, ring.Bits, ("radix", radix), ("variant", 0), xShare.Length, source);
        Core(ctx, ring, xShare, dreluShare, radix, complement: true, source);
    }

    /// <summary>XOR shares of msb(x) = [x &lt; 0] (0/1 bytes).</summary>
    public static void RunMsb(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> xShare, Span<byte> msbShare,
        int radix = MillionaireCore.DefaultRadix)
    {
        Validate(ctx, ring, xShare.Length, msbShare.Length, radix);
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(xShare.Length, ring, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.Msb, ring.Bits, ("radix", radix), ("variant", 0), xShare.Length, source);
        Core(ctx, ring, xShare, msbShare, radix, complement: false, source);
    }

    /// <summary>Traffic of <see cref="Run"/> or <see cref="RunMsb"/>: the handshake plus Mill(ℓ − 1).</summary>
    public static CommunicationCost Cost(int n, Ring ring, int radix = MillionaireCore.DefaultRadix,
        TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null) =>
        ParameterHandshake.Cost + CoreCost(OtCallCost.Resolve(otCosts), n, ring, radix, triples);

    /// <summary>Bit triples one call uses: those of Mill(ℓ − 1).</summary>
    public static long TriplesNeeded(int n, Ring ring, int radix = MillionaireCore.DefaultRadix) =>
        MillionaireProtocol.TriplesNeeded(n, ring.Bits - 1, radix);

    internal static CommunicationCost CoreCost(OtBackendCosts ot, int n, Ring ring, int radix, TripleSource triples) =>
        MillionaireProtocol.CoreCost(ot, n, ring.Bits - 1, radix, triples);

    private static void Validate(PartyContext ctx, Ring ring, int inputs, int outputs, int radix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ring.Bits < 2) throw new ArgumentException("the sign of a 1-bit ring is its value; ℓ must be at least 2", nameof(ring));
        MillionaireCore.CheckRadix(radix);
        if (inputs != outputs) throw new ArgumentException($"{inputs} inputs but room for {outputs} results");
    }

    /// <summary>msb (or, with <paramref name="complement"/>, DReLU) shares without the handshake.</summary>
    internal static void Core(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> xShare, Span<byte> bitShare, int radix,
        bool complement, TripleSource source)
    {
        int n = xShare.Length;
        int low = ring.Bits - 1;
        ulong lowMask = (1UL << low) - 1;
        var input = ArrayPool<ulong>.Shared.Rent(Math.Max(n, 1));
        var carry = ArrayPool<byte>.Shared.Rent(Math.Max(n, 1));
        try
        {
            bool server = ctx.Role == PartyRole.Server;
            for (int i = 0; i < n; i++)
            {
                ulong lowBits = xShare[i] & lowMask;
                // carry = [low(x0) + low(x1) ≥ 2^{ℓ−1}] = [low(x0) > 2^{ℓ−1} − 1 − low(x1)].
                input[i] = server ? lowBits : lowMask - lowBits;
            }
            Comparison[] comparison = [new(low, input.AsMemory(0, n), carry.AsMemory(0, n), Memory<byte>.Empty)];
            MillionaireCore.Run(ctx, radix, comparison, 0, source).Dispose();
            int flip = complement && server ? 1 : 0;
            for (int i = 0; i < n; i++)
                bitShare[i] = (byte)(carry[i] ^ ring.Msb(xShare[i] & ring.Mask) ^ flip);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(carry);
        }
    }
}
