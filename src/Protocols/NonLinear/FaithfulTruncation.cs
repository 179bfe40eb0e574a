using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Faithful truncation: additive shares of y = floor(x / 2^s) of the signed reading of x, bit-identical to the
/// arithmetic right shift of the reconstructed value, staying in Z_{2^ℓ}. Both parties call it with their shares and
/// get shares of y; neither learns x or y.
/// <para>
/// The server first adds 2^{ℓ−1} to its share, so that the shared value u = x + 2^{ℓ−1} is unsigned and
/// floor(x / 2^s) = floor(u / 2^s) − 2^{ℓ−s−1}. Over the integers u = u0 + u1 − 2^ℓ·w (w: the shares wrap), so
/// floor(u / 2^s) = (u0 ≫ s) + (u1 ≫ s) + c − 2^{ℓ−s}·w, where c is the carry out of the low s bits. c comes from
/// Mill(s); only w mod 2^s matters (it is multiplied by 2^{ℓ−s}). With <see cref="MsbKnowledge.NonNegative"/>,
/// msb(u) = 1, so w = msb(u0) ∧ msb(u1): one s-bit correlated OT, and the total is Mill(s) + 2λ + ℓ + s
/// (1,468 bits at ℓ = 41, s = 11). With <see cref="MsbKnowledge.Unknown"/>, w = [u0 &gt; ¬u1] is a millionaires'
/// comparison over ℓ bits that shares its low s bits with c: the high ℓ − s bits are compared with their equality,
/// and w = gt_hi ⊕ eq_hi ∧ c (Mill(s) + MillEq(ℓ − s) + one AND + 2λ + ℓ + s: 5,992 bits at ℓ = 41, s = 11).
/// The two arithmetic conversions (c into Z_{2^ℓ}, w into Z_{2^s}) share one correlated-OT call.
/// </para>
/// </summary>
public static class FaithfulTruncation
{
    /// <summary>Shares of floor(x / 2^shift) (0 ≤ shift &lt; ℓ; a zero shift copies the shares without traffic).</summary>
    public static void Run(PartyContext ctx, Ring ring, int shift, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        MsbKnowledge msb, int radix = MillionaireCore.DefaultRadix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        Validate(ring, shift, msb, radix);
        if (yShare.Length != xShare.Length)
            throw new ArgumentException($"{xShare.Length} inputs but room for {yShare.Length} results");
        if (shift == 0)
        {
            xShare.CopyTo(yShare);
            return;
        }
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(xShare.Length, ring, shift, msb, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.FaithfulTruncation, ring.Bits, ("shift", shift),
            ("msb knowledge and radix", (int)msb << 8 | radix), xShare.Length, source);
        Core(ctx, ring, shift, xShare, yShare, msb, radix, source);
    }

    /// <summary>Traffic of <see cref="Run"/> for n elements (zero for a zero shift).</summary>
    public static CommunicationCost Cost(int n, Ring ring, int shift, MsbKnowledge msb,
        int radix = MillionaireCore.DefaultRadix, TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null)
    {
        Validate(ring, shift, msb, radix);
        return shift == 0 ? CommunicationCost.Zero : ParameterHandshake.Cost + CoreCost(OtCallCost.Resolve(otCosts), n, ring, shift, msb, radix, triples);
    }

    /// <summary>Bit triples one call uses (none for a zero shift).</summary>
    public static long TriplesNeeded(int n, Ring ring, int shift, MsbKnowledge msb,
        int radix = MillionaireCore.DefaultRadix)
    {
        Validate(ring, shift, msb, radix);
        if (shift == 0) return 0;
        return MillionaireCore.TriplesNeeded(Shapes(n, ring, shift, msb), radix) + (msb == MsbKnowledge.Unknown ? n : 0);
    }

    internal static CommunicationCost CoreCost(OtBackendCosts ot, int n, Ring ring, int shift, MsbKnowledge msb, int radix,
        TripleSource triples)
    {
        var shapes = Shapes(n, ring, shift, msb);
        int extra = msb == MsbKnowledge.Unknown ? n : 0;
        return MillionaireProtocol.TripleCost(ot, TriplesNeeded(n, ring, shift, msb, radix), triples)
               + MillionaireCore.Cost(ot, shapes, radix)
               + AndGates.OpeningCost(extra)
               + OtCallCost.CorrelatedPacked(ot, 1, ConversionWidths(n, ring, shift), PartyRole.Server);
    }

    /// <summary>Widths of the conversion OTs: n carries of ℓ bits, then n wraps of s bits.</summary>
    private static int[] ConversionWidths(int n, Ring ring, int shift)
    {
        var widths = new int[2 * n];
        widths.AsSpan(0, n).Fill(ring.Bits);
        widths.AsSpan(n).Fill(shift);
        return widths;
    }

    private static ComparisonShape[] Shapes(int n, Ring ring, int shift, MsbKnowledge msb) =>
        msb == MsbKnowledge.Unknown
            ? [new(shift, n, false), new(ring.Bits - shift, n, true)]
            : [new(shift, n, false)];

    private static void Validate(Ring ring, int shift, MsbKnowledge msb, int radix)
    {
        if (shift < 0 || shift >= ring.Bits)
            throw new ArgumentException($"truncation by {shift} bits is outside 0..{ring.Bits - 1} for a {ring.Bits}-bit ring", nameof(shift));
        if (!Enum.IsDefined(msb)) throw new ArgumentException($"unknown MSB knowledge {msb}", nameof(msb));
        MillionaireCore.CheckRadix(radix);
    }

    /// <summary>The truncation without the handshake (shift ≥ 1); y may alias x.</summary>
    internal static void Core(PartyContext ctx, Ring ring, int shift, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        MsbKnowledge msb, int radix, TripleSource source)
    {
        int n = xShare.Length;
        if (n == 0) return;
        bool server = ctx.Role == PartyRole.Server;
        int ell = ring.Bits, high = ell - shift;
        ulong lowMask = (1UL << shift) - 1, highMask = high == 64 ? ulong.MaxValue : (1UL << high) - 1;
        ulong offset = server ? 1UL << (ell - 1) : 0;
        bool unknown = msb == MsbKnowledge.Unknown;

        var u = ArrayPool<ulong>.Shared.Rent(n);
        var lowIn = ArrayPool<ulong>.Shared.Rent(n);
        var highIn = ArrayPool<ulong>.Shared.Rent(unknown ? n : 1);
        var bits = ArrayPool<byte>.Shared.Rent(4 * n);
        try
        {
            var carry = bits.AsMemory(0, n);
            var wrap = bits.AsMemory(n, n);
            var gtHigh = bits.AsMemory(2 * n, n);
            var eqHigh = bits.AsMemory(3 * n, n);
            for (int i = 0; i < n; i++)
            {
                ulong ui = (xShare[i] + offset) & ring.Mask;
                u[i] = ui;
                // The client compares with the complement of its share: u0 + u1 overflows iff u0 > ¬u1.
                lowIn[i] = server ? ui & lowMask : lowMask - (ui & lowMask);
                if (unknown) highIn[i] = server ? ui >> shift : highMask - (ui >> shift);
            }

            Comparison[] comparisons = unknown
                ? [new(shift, lowIn.AsMemory(0, n), carry, Memory<byte>.Empty), new(high, highIn.AsMemory(0, n), gtHigh, eqHigh)]
                : [new(shift, lowIn.AsMemory(0, n), carry, Memory<byte>.Empty)];
            using (var triples = MillionaireCore.Run(ctx, radix, comparisons, unknown ? n : 0, source))
            {
                if (unknown)
                {
                    AndGates.Evaluate(ctx, eqHigh.Span, carry.Span, wrap.Span, triples);
                    AndGates.Xor(gtHigh.Span, wrap.Span, wrap.Span);
                }
                else
                {
                    // msb(u) = 1, so the shares wrap exactly when both share MSBs are set.
                    var w = wrap.Span;
                    for (int i = 0; i < n; i++) w[i] = (byte)ring.Msb(u[i]);
                }
            }

            var carryArith = ArrayPool<ulong>.Shared.Rent(n);
            var wrapArith = ArrayPool<ulong>.Shared.Rent(n);
            try
            {
                ConvertCarryAndWrap(ctx, ring, shift, carry.Span, wrap.Span, wrapIsProduct: !unknown,
                    carryArith.AsSpan(0, n), wrapArith.AsSpan(0, n));
                ulong half = server ? 1UL << (high - 1) : 0;
                for (int i = 0; i < n; i++)
                    yShare[i] = ((u[i] >> shift) + carryArith[i] - (wrapArith[i] << high) - half) & ring.Mask;
            }
            finally
            {
                ArrayPool<ulong>.Shared.Return(carryArith);
                ArrayPool<ulong>.Shared.Return(wrapArith);
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(u);
            ArrayPool<ulong>.Shared.Return(lowIn);
            ArrayPool<ulong>.Shared.Return(highIn);
            ArrayPool<byte>.Shared.Return(bits);
        }
    }

    /// <summary>
    /// One correlated-OT batch, server sender, 2n OTs: the first n turn the XOR-shared carry into Z_{2^ℓ}
    /// (correlation −2·c0, choice c1); the other n, s bits wide, give shares of w mod 2^s — either from XOR shares of
    /// w (correlation −2·w0) or, when <paramref name="wrapIsProduct"/>, as the product of the two parties' bits
    /// (correlation w0, choice w1).
    /// </summary>
    private static void ConvertCarryAndWrap(PartyContext ctx, Ring ring, int shift, ReadOnlySpan<byte> carry,
        ReadOnlySpan<byte> wrap, bool wrapIsProduct, Span<ulong> carryArith, Span<ulong> wrapArith)
    {
        int n = carry.Length;
        ulong shiftMask = (1UL << shift) - 1;
        var widths = ArrayPool<int>.Shared.Rent(2 * n);
        var values = ArrayPool<ulong>.Shared.Rent(2 * n);
        try
        {
            var bitsPerOt = widths.AsSpan(0, 2 * n);
            bitsPerOt[..n].Fill(ring.Bits);
            bitsPerOt[n..].Fill(shift);
            var v = values.AsSpan(0, 2 * n);
            if (ctx.Role == PartyRole.Server)
            {
                var delta = ArrayPool<ulong>.Shared.Rent(2 * n);
                try
                {
                    for (int i = 0; i < n; i++)
                    {
                        delta[i] = (0UL - 2UL * carry[i]) & ring.Mask;
                        delta[n + i] = wrapIsProduct ? wrap[i] : (0UL - 2UL * wrap[i]) & shiftMask;
                    }
                    ctx.Ot.Sender.SendCorrelatedPacked(delta.AsSpan(0, 2 * n), 1, bitsPerOt, v);
                }
                finally { ArrayPool<ulong>.Shared.Return(delta); }
                for (int i = 0; i < n; i++)
                {
                    carryArith[i] = (carry[i] - v[i]) & ring.Mask;
                    wrapArith[i] = ((wrapIsProduct ? 0UL : wrap[i]) - v[n + i]) & shiftMask;
                }
            }
            else
            {
                var choices = ArrayPool<byte>.Shared.Rent(2 * n);
                try
                {
                    carry.CopyTo(choices);
                    wrap.CopyTo(choices.AsSpan(n));
                    ctx.Ot.Receiver.ReceiveCorrelatedPacked(choices.AsSpan(0, 2 * n), 1, bitsPerOt, v);
                }
                finally { ArrayPool<byte>.Shared.Return(choices); }
                for (int i = 0; i < n; i++)
                {
                    carryArith[i] = (carry[i] + v[i]) & ring.Mask;
                    wrapArith[i] = ((wrapIsProduct ? 0UL : wrap[i]) + v[n + i]) & shiftMask;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(widths);
            ArrayPool<ulong>.Shared.Return(values);
        }
    }
}
