using System.Numerics;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// The public bit-width B of a server operand (weights as a protocol uses them: transformed, folded, scaled): every
/// value in [−2^{B−1}, 2^{B−1}), so the server, when it is the OT receiver of a product, chooses with B bits per entry
/// (the top one the sign) instead of ℓ. Both parties know B; the server checks that its operand fits and refuses it
/// otherwise (a value outside would make the product wrong, so it is never clipped).
/// </summary>
public static class WeightBitWidth
{
    /// <summary>Bits of two's complement <paramref name="value"/> needs (1 for 0 and −1, 2 for 1 and −2, …).</summary>
    public static int Needed(long value) => 65 - BitOperations.LeadingZeroCount((ulong)(value ^ (value >> 63)));

    /// <summary>The smallest B that every value fits in (1 for an empty or all-zero span).</summary>
    public static int Needed(ReadOnlySpan<long> values)
    {
        int bits = 1;
        foreach (long v in values) bits = Math.Max(bits, Needed(v));
        return bits;
    }

    /// <summary>The smallest B that every ring element, read as a signed ℓ-bit value, fits in.</summary>
    public static int Needed(Ring ring, ReadOnlySpan<ulong> values)
    {
        int bits = 1;
        foreach (ulong v in values) bits = Math.Max(bits, Needed(ring.ToSigned(v)));
        return bits;
    }

    /// <summary>
    /// Refuses a server operand that does not fit in <paramref name="bits"/>: one line naming the layer, what the
    /// operand is and the bits it needs.
    /// </summary>
    /// <exception cref="ArgumentException">A value needs more than <paramref name="bits"/> bits.</exception>
    public static void Check(Ring ring, ReadOnlySpan<ulong> operand, int bits, string layer, string what)
    {
        int needed = Needed(ring, operand);
        if (needed > bits)
            throw new ArgumentException(
                $"{layer}: {what} need {needed} bits of two's complement, more than the weight bit-width B = {bits}; run with --weight-bits {needed} or more");
    }
}
