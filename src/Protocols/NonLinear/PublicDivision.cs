using System.Buffers;
using System.Numerics;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Exact division by a public constant d (e.g. the window size of an average pool): shares of floor(x / d) for the
/// signed reading of x, rounding towards −∞ (so −7 / 2 = −4, as an arithmetic shift does), identical to
/// <see cref="NonLinearReference.DivideFloor"/> for every ring element. Both parties call it with their shares and the
/// same d; neither learns x or the quotient.
/// <para>
/// A power of two is a <see cref="FaithfulTruncation"/> with unknown sign. Otherwise: the server adds K = 2^{ℓ−1}
/// to its share so that u = x + K is unsigned; over the integers x = A + B − w·2^ℓ with A = u0 (server),
/// B = u1 − K (client) and w the wrap of u0 + u1 (Mill(ℓ)). Writing A = qa·d + ra, B = qb·d + rb and
/// 2^ℓ = Q·d + R, floor(x / d) = qa + qb − w·Q + floor((ra + rb − w·R) / d), and the last term is
/// [S ≥ d] when w = 0 and [S ≥ d + R] − [S &lt; R] when w = 1 (S = ra + rb &lt; 2d): three comparisons of the
/// parties' remainders (run in the same millionaires' batch as w), two ANDs with w, and one correlated-OT batch that
/// turns w, the positive and the negative correction into arithmetic shares.
/// </para>
/// </summary>
public static class PublicDivision
{
    /// <summary>Shares of floor(x / divisor).</summary>
    public static void Run(PartyContext ctx, Ring ring, int divisor, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        int radix = MillionaireCore.DefaultRadix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        Validate(ring, divisor, radix);
        if (yShare.Length != xShare.Length)
            throw new ArgumentException($"{xShare.Length} inputs but room for {yShare.Length} results");
        if (divisor == 1)
        {
            xShare.CopyTo(yShare);
            return;
        }
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(xShare.Length, ring, divisor, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.PublicDivision, ring.Bits, ("radix", radix), ("divisor", divisor),
            xShare.Length, source);
        if (BitOperations.IsPow2(divisor))
            FaithfulTruncation.Core(ctx, ring, BitOperations.Log2((uint)divisor), xShare, yShare, MsbKnowledge.Unknown, radix,
                source);
        else
            Core(ctx, ring, divisor, xShare, yShare, radix, source);
    }

    /// <summary>Traffic of <see cref="Run"/> for n elements (zero for d = 1).</summary>
    public static CommunicationCost Cost(int n, Ring ring, int divisor, int radix = MillionaireCore.DefaultRadix,
        TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null)
    {
        Validate(ring, divisor, radix);
        if (divisor == 1) return CommunicationCost.Zero;
        var ot = OtCallCost.Resolve(otCosts);
        if (BitOperations.IsPow2(divisor))
            return ParameterHandshake.Cost + FaithfulTruncation.CoreCost(ot, n, ring,
                BitOperations.Log2((uint)divisor), MsbKnowledge.Unknown, radix, triples);
        var shapes = Shapes(n, ring, divisor);
        return ParameterHandshake.Cost
               + MillionaireProtocol.TripleCost(ot, TriplesNeeded(n, ring, divisor, radix), triples)
               + MillionaireCore.Cost(ot, shapes, radix)
               + AndGates.OpeningCost(2L * n)
               + OtCallCost.Correlated(ot, 3L * n, ring.Bits, PartyRole.Server);
    }

    /// <summary>Bit triples one call uses (none for d = 1).</summary>
    public static long TriplesNeeded(int n, Ring ring, int divisor, int radix = MillionaireCore.DefaultRadix)
    {
        Validate(ring, divisor, radix);
        if (divisor == 1) return 0;
        if (BitOperations.IsPow2(divisor))
            return FaithfulTruncation.TriplesNeeded(n, ring, BitOperations.Log2((uint)divisor), MsbKnowledge.Unknown, radix);
        return MillionaireCore.TriplesNeeded(Shapes(n, ring, divisor), radix) + 2L * n;
    }

    private static void Validate(Ring ring, int divisor, int radix)
    {
        if (divisor < 1 || (ulong)divisor > 1UL << (ring.Bits - 1))
            throw new ArgumentException(
                $"the divisor must be between 1 and 2^(ℓ−1) = 2^{ring.Bits - 1}, got {divisor}", nameof(divisor));
        MillionaireCore.CheckRadix(radix);
    }

    /// <summary>Width of the remainder comparisons: the values compared stay below 3d.</summary>
    private static int RemainderBits(int divisor) => 64 - BitOperations.LeadingZeroCount(3UL * (ulong)divisor - 1);

    private static ComparisonShape[] Shapes(int n, Ring ring, int divisor) =>
        [new(ring.Bits, n, false), new(RemainderBits(divisor), 3 * n, false)];

    private static void Core(PartyContext ctx, Ring ring, int divisor, ReadOnlySpan<ulong> xShare, Span<ulong> yShare,
        int radix, TripleSource source)
    {
        int n = xShare.Length;
        if (n == 0) return;
        bool server = ctx.Role == PartyRole.Server;
        ulong d = (ulong)divisor;
        UInt128 modulus = UInt128.One << ring.Bits;
        ulong bigQ = (ulong)(modulus / d), bigR = (ulong)(modulus % d);
        ulong half = 1UL << (ring.Bits - 1);

        var quotient = ArrayPool<ulong>.Shared.Rent(n);
        var wrapIn = ArrayPool<ulong>.Shared.Rent(n);
        var remainderIn = ArrayPool<ulong>.Shared.Rent(3 * n);
        var bits = ArrayPool<byte>.Shared.Rent(8 * n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                ulong ui = (xShare[i] + (server ? half : 0)) & ring.Mask;
                ulong remainder;
                if (server)
                {
                    quotient[i] = ui / d;
                    remainder = ui % d;
                    // α = r_a + d against the client's β_c = c − 1 − r_b + d, for c = d, d + R, R.
                    remainderIn[i] = remainderIn[n + i] = remainderIn[2 * n + i] = remainder + d;
                    wrapIn[i] = ui;
                }
                else
                {
                    Int128 b = (Int128)ui - half;
                    Int128 q = Int128.DivRem(b, d).Quotient;
                    if (q * d > b) q -= 1;
                    quotient[i] = (ulong)q & ring.Mask;
                    remainder = (ulong)(b - q * d);
                    remainderIn[i] = d - 1 - remainder + d;
                    remainderIn[n + i] = d + bigR - 1 - remainder + d;
                    remainderIn[2 * n + i] = bigR - 1 - remainder + d;
                    wrapIn[i] = ring.Mask - ui;
                }
            }

            var wrap = bits.AsMemory(0, n);
            var geD = bits.AsMemory(n, n);
            var geDR = bits.AsMemory(2 * n, n);
            var geR = bits.AsMemory(3 * n, n);
            var greater = bits.AsMemory(n, 3 * n);
            Comparison[] comparisons =
            [
                new(ring.Bits, wrapIn.AsMemory(0, n), wrap, Memory<byte>.Empty),
                new(RemainderBits(divisor), remainderIn.AsMemory(0, 3 * n), greater, Memory<byte>.Empty),
            ];
            var andX = bits.AsSpan(4 * n, 2 * n);
            var andY = bits.AsSpan(6 * n, 2 * n);
            using (var triples = MillionaireCore.Run(ctx, radix, comparisons, 2 * n, source))
            {
                // positive correction = g1 ⊕ w ∧ (g1 ⊕ g2); negative correction = w ∧ [S < R].
                wrap.Span.CopyTo(andX[..n]);
                wrap.Span.CopyTo(andX[n..]);
                AndGates.Xor(geD.Span, geDR.Span, andY[..n]);
                var lessR = andY[n..];
                geR.Span.CopyTo(lessR);
                if (server)
                    for (int i = 0; i < n; i++) lessR[i] ^= 1;
                AndGates.Evaluate(ctx, andX, andY, andY, triples);
                AndGates.Xor(geD.Span, andY[..n], andY[..n]);
            }

            // Weighted conversions in one batch: −Q·w, +positive, −negative.
            var choiceBits = bits.AsSpan(4 * n, 3 * n);
            wrap.Span.CopyTo(choiceBits[..n]);
            andY.CopyTo(choiceBits[n..]);
            Span<ulong> weights = [(0UL - bigQ) & ring.Mask, 1, ring.Mask];
            var converted = remainderIn.AsSpan(0, 3 * n);
            WeightedToArithmetic(ctx, ring, choiceBits, weights, converted);
            for (int i = 0; i < n; i++)
                yShare[i] = (quotient[i] + converted[i] + converted[n + i] + converted[2 * n + i]) & ring.Mask;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(quotient);
            ArrayPool<ulong>.Shared.Return(wrapIn);
            ArrayPool<ulong>.Shared.Return(remainderIn);
            ArrayPool<byte>.Shared.Return(bits);
        }
    }

    /// <summary>
    /// Shares of k_j · b for XOR-shared bits b laid out in blocks, block j weighted by k_j: one correlated OT per
    /// bit, server sender with correlation k·(1 − 2·b0), keeping k·b0 − x0; the client, choosing b1, gets
    /// x0 + b1·k·(1 − 2·b0) — together k·(b0 ⊕ b1).
    /// </summary>
    private static void WeightedToArithmetic(PartyContext ctx, Ring ring, ReadOnlySpan<byte> bitShare,
        ReadOnlySpan<ulong> weights, Span<ulong> result)
    {
        int total = bitShare.Length, block = total / weights.Length;
        if (ctx.Role == PartyRole.Server)
        {
            var delta = ArrayPool<ulong>.Shared.Rent(total);
            try
            {
                for (int i = 0; i < total; i++)
                {
                    ulong k = weights[i / block];
                    delta[i] = (bitShare[i] == 0 ? k : 0UL - k) & ring.Mask;
                }
                ctx.Ot.Sender.SendCorrelated(delta.AsSpan(0, total), ring.Bits, result);
            }
            finally { ArrayPool<ulong>.Shared.Return(delta); }
            for (int i = 0; i < total; i++)
                result[i] = ((bitShare[i] == 0 ? 0UL : weights[i / block]) - result[i]) & ring.Mask;
        }
        else
        {
            ctx.Ot.Receiver.ReceiveCorrelated(bitShare, ring.Bits, result);
        }
    }
}
