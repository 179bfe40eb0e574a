namespace CoPriv.Protocols.Ot;

/// <summary>Checks of a party's own call arguments (local misuse → <see cref="ArgumentException"/>).</summary>
internal static class OtArguments
{
    public const int MaxN = WalshHadamardCode.Length;

    public static void CheckBits(int bits)
    {
        if (bits is < 1 or > 64)
            throw new ArgumentException($"OT message width must be 1..64 bits, got {bits}", nameof(bits));
    }

    /// <summary>Bits of a digit below <paramref name="n"/>: ⌈log₂ n⌉.</summary>
    public static int DigitBits(int n) => n <= 1 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(n - 1));

    public static void CheckN(int n)
    {
        if (n is < 2 or > MaxN)
            throw new ArgumentException($"1-out-of-N OT supports N from 2 to {MaxN}, got {n}", nameof(n));
    }

    public static void CheckLength(string name, long actual, long expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} elements, expected {expected}", name);
    }

    public static void CheckChoiceBits(ReadOnlySpan<byte> choices)
    {
        for (int i = 0; i < choices.Length; i++)
            if (choices[i] > 1)
                throw new ArgumentException($"choice bits must be 0 or 1; choices[{i}] = {choices[i]}", nameof(choices));
    }

    public static void CheckChoiceDigits(ReadOnlySpan<byte> choices, int n)
    {
        for (int i = 0; i < choices.Length; i++)
            if (choices[i] >= n)
                throw new ArgumentException($"1-of-{n} choices must be below {n}; choices[{i}] = {choices[i]}", nameof(choices));
    }

    /// <summary>Checks the packed-COT layout and returns the widest per-OT width.</summary>
    public static int CheckPacked(int valuesPerOt, ReadOnlySpan<int> bitsPerOt)
    {
        if (valuesPerOt < 1)
            throw new ArgumentException($"a packed COT carries at least one value per OT, got {valuesPerOt}", nameof(valuesPerOt));
        int max = 0;
        for (int i = 0; i < bitsPerOt.Length; i++)
        {
            if (bitsPerOt[i] is < 1 or > 64)
                throw new ArgumentException($"bitsPerOt[{i}] = {bitsPerOt[i]} is outside 1..64", nameof(bitsPerOt));
            max = Math.Max(max, bitsPerOt[i]);
        }
        return max;
    }
}
