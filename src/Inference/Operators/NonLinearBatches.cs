using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Operators;

/// <summary>
/// How the engine cuts a non-linear layer into protocol calls: at most <see cref="MaxElements"/> elements per call.
/// The non-linear protocols hold buffers proportional to their batch (a 1-of-16 OT message table per millionaires'
/// digit), so an unbounded batch would make the memory of a run grow with the largest activation (hundreds of MB
/// per call in MobileNetV2). Each call costs its own 32-byte parameter handshake, which the cost model counts.
/// </summary>
internal static class NonLinearBatches
{
    /// <summary>2^16: the batch size of REFERENCE's per-operation figures; ResNet-32's layers fit in one call.</summary>
    public const int MaxElements = 1 << 16;

    /// <summary>The (start, count) of each call for <paramref name="n"/> items, at most <paramref name="perCall"/> each.</summary>
    public static IEnumerable<(int Start, int Count)> Split(int n, int perCall = MaxElements)
    {
        for (int start = 0; start < n; start += perCall) yield return (start, Math.Min(perCall, n - start));
    }

    /// <summary>The summed cost of the calls <see cref="Split"/> makes, given the cost of one call of a given size.</summary>
    public static CommunicationCost Cost(int n, Func<int, CommunicationCost> perCallCost, int perCall = MaxElements)
    {
        if (n == 0) return CommunicationCost.Zero;
        int full = n / perCall, rest = n % perCall;
        var cost = full > 0 ? perCallCost(perCall).Times(full) : CommunicationCost.Zero;
        return rest > 0 ? cost + perCallCost(rest) : cost;
    }
}
