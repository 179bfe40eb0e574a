using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Max pooling on additive shares: the maximum of every window, by max(a, b) = b + ReLU(a − b). The windows are
/// reduced pairwise, all windows in one ReLU batch per step, so a window of k values takes k − 1 ReLUs (as a
/// sequential scan would) in ⌈log₂ k⌉ steps instead of k − 1. Exact as long as the differences of values in one
/// window fit the signed range of the ring, as everywhere in fixed point. Both parties call it with their shares
/// (windows laid out one after another) and get shares of the maxima; neither learns the values or which one won.
/// </summary>
public static class MaxPoolProtocol
{
    /// <summary>maxShare[w] = shares of max(x[w·k], …, x[w·k + k − 1]) for k = <paramref name="windowSize"/>.</summary>
    public static void Run(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> xShare, int windowSize, Span<ulong> maxShare,
        ReluVariant variant = ReluProtocol.DefaultVariant, int radix = MillionaireCore.DefaultRadix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        Validate(ring, windowSize, variant, radix);
        if (xShare.Length != (long)maxShare.Length * windowSize)
            throw new ArgumentException($"{xShare.Length} inputs do not form {maxShare.Length} windows of {windowSize}");
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(maxShare.Length, windowSize, ring, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.MaxPool, ring.Bits, ("radix and variant", radix | (int)variant << 8),
            ("window size", windowSize), maxShare.Length, source, receivesLater: windowSize > 1);

        int windows = maxShare.Length;
        var buffer = ArrayPool<ulong>.Shared.Rent(Math.Max(xShare.Length + xShare.Length / 2, 1));
        try
        {
            var current = buffer.AsSpan(0, xShare.Length);
            xShare.CopyTo(current);
            var scratch = buffer.AsSpan(xShare.Length, xShare.Length / 2);
            for (int count = windowSize; count > 1; count = (count + 1) / 2)
            {
                int pairs = count / 2, next = (count + 1) / 2;
                var diff = scratch[..(windows * pairs)];
                for (int w = 0; w < windows; w++)
                    for (int j = 0; j < pairs; j++)
                        diff[w * pairs + j] = ring.Sub(current[w * count + 2 * j], current[w * count + 2 * j + 1]);
                ReluProtocol.Core(ctx, ring, diff, diff, Span<byte>.Empty, variant, radix, source);
                // Compact in place: window w's survivors move to w·next, never ahead of what is still to be read.
                for (int w = 0; w < windows; w++)
                {
                    for (int j = 0; j < pairs; j++)
                        current[w * next + j] = ring.Add(current[w * count + 2 * j + 1], diff[w * pairs + j]);
                    if (count % 2 == 1) current[w * next + pairs] = current[w * count + count - 1];
                }
            }
            current[..windows].CopyTo(maxShare);
        }
        finally { ArrayPool<ulong>.Shared.Return(buffer); }
    }

    /// <summary>Traffic of <see cref="Run"/> for the given number of windows.</summary>
    public static CommunicationCost Cost(int windows, int windowSize, Ring ring,
        ReluVariant variant = ReluProtocol.DefaultVariant, int radix = MillionaireCore.DefaultRadix,
        TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null)
    {
        Validate(ring, windowSize, variant, radix);
        var ot = OtCallCost.Resolve(otCosts);
        var cost = ParameterHandshake.Cost;
        for (int count = windowSize; count > 1; count = (count + 1) / 2)
            cost += ReluProtocol.CoreCost(ot, windows * (count / 2), ring, variant, radix, triples);
        return cost;
    }

    /// <summary>Bit triples one call uses: those of its k − 1 ReLUs per window.</summary>
    public static long TriplesNeeded(int windows, int windowSize, Ring ring, int radix = MillionaireCore.DefaultRadix)
    {
        Validate(ring, windowSize, ReluProtocol.DefaultVariant, radix);
        long t = 0;
        for (int count = windowSize; count > 1; count = (count + 1) / 2)
            t += ReluProtocol.TriplesNeeded(windows * (count / 2), ring, radix);
        return t;
    }

    private static void Validate(Ring ring, int windowSize, ReluVariant variant, int radix)
    {
        if (windowSize < 1) throw new ArgumentException($"window size must be positive, got {windowSize}", nameof(windowSize));
        if (ring.Bits < 2) throw new ArgumentException("max pooling needs a ring of at least 2 bits", nameof(ring));
        if (!Enum.IsDefined(variant)) throw new ArgumentException($"unknown ReLU variant {variant}", nameof(variant));
        MillionaireCore.CheckRadix(radix);
    }
}
