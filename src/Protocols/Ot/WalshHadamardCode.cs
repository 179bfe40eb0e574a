namespace CoPriv.Protocols.Ot;

/// <summary>
/// The Walsh–Hadamard code of length 256 used by Kolesnikov–Kumaresan 1-out-of-N OT: the codeword of x ∈ [0, 256)
/// has bit j = parity(x AND j). Any two codewords differ in exactly 128 positions, which is what gives the
/// unchosen pads 128 bits of the sender's secret.
/// </summary>
internal static class WalshHadamardCode
{
    public const int Length = 256;
    public const int Words = Length / 64;

    private static readonly ulong[] Table = Build();

    /// <summary>The four words of the codeword of x.</summary>
    public static ReadOnlySpan<ulong> Codeword(int x) => Table.AsSpan(Words * x, Words);

    private static ulong[] Build()
    {
        var table = new ulong[Length * Words];
        for (int x = 0; x < Length; x++)
            for (int j = 0; j < Length; j++)
                if ((System.Numerics.BitOperations.PopCount((uint)(x & j)) & 1) != 0)
                    table[Words * x + j / 64] |= 1UL << (j % 64);
        return table;
    }
}
