using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// GGM-tree single-point correlated OT (Ferret's SPCOT, semi-honest), one tree of depth h over 2^h positions.
/// The sender, holding Δ, expands a random seed into leaves v; the receiver ends with its noisy position α and
/// w = v ⊕ e_α·Δ (w_i = v_i for i ≠ α, w_α = v_α ⊕ Δ) — the project's COT convention, receiver row = sender row ⊕
/// choice·Δ, with choice vector e_α.
/// <para>
/// Level ℓ (0-based) uses one random COT (sender row q_ℓ, receiver choice c_ℓ and row q_ℓ ⊕ c_ℓ·Δ) as a chosen OT of
/// the level sums K0 = ⊕ left children, K1 = ⊕ right children: the sender sends K0 ⊕ H(q_ℓ), K1 ⊕ H(q_ℓ ⊕ Δ), the
/// receiver opens K_{c_ℓ}, the sum of the side off its path. So its path bit is α_ℓ = 1 − c_ℓ and α = Σ α_ℓ·2^ℓ
/// (the first level is the least significant bit): α is uniform because the COT choices are, and nothing is
/// derandomized. Both then clear the lowest bit of every leaf (so with Δ odd, a leaf's lowest bit is its choice e_i)
/// and the sender sends γ = Δ ⊕ ⊕_i v_i, from which the receiver gets w_α.
/// </para>
/// The receiver learns every v_i for i ≠ α and v_α ⊕ Δ, nothing about v_α or Δ alone (the GGM puncturing and the
/// correlation-robust pads); the sender learns nothing (it receives nothing).
/// </summary>
internal static class SinglePointCot
{
    /// <summary>The sender's message for one tree: (K0, K1) masked per level, then γ, 16 bytes each.</summary>
    public static int MessageBytes(int depth) => 16 * MessageBlocks(depth);

    public static int MessageBlocks(int depth) => 2 * depth + 1;

    /// <summary>
    /// Sender: expands <paramref name="seed"/> into <paramref name="leaves"/> (2^depth blocks) and writes the message
    /// (<see cref="MessageBlocks"/> blocks). pad0[ℓ] = H(q_ℓ), pad1[ℓ] = H(q_ℓ ⊕ Δ) for the depth level COTs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Send(GgmPrg prg, Vector128<ulong> seed, Vector128<ulong> delta, ReadOnlySpan<Vector128<ulong>> pad0,
        ReadOnlySpan<Vector128<ulong>> pad1, Span<Vector128<ulong>> leaves, Span<Vector128<ulong>> message)
    {
        int depth = pad0.Length;
        leaves[0] = seed;
        for (int level = 0, m = 1; level < depth; level++, m <<= 1)
        {
            prg.ExpandLevel(leaves, m);
            message[2 * level] = Sum(leaves[..m]) ^ pad0[level];
            message[2 * level + 1] = Sum(leaves.Slice(m, m)) ^ pad1[level];
        }
        ClearLowBits(leaves[..(1 << depth)]);
        message[2 * depth] = Sum(leaves[..(1 << depth)]) ^ delta;
    }

    /// <summary>
    /// Receiver: from its level choices c_ℓ (0/1) and pads H(q_ℓ ⊕ c_ℓ·Δ), and the sender's message, fills
    /// <paramref name="leaves"/> with w and returns α.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Receive(GgmPrg prg, ReadOnlySpan<byte> choices, ReadOnlySpan<Vector128<ulong>> pads,
        ReadOnlySpan<Vector128<ulong>> message, Span<Vector128<ulong>> leaves)
    {
        int depth = pads.Length;
        int punctured = 0;                       // the unknown node of the current level (kept at zero)
        leaves[0] = Vector128<ulong>.Zero;
        for (int level = 0, m = 1; level < depth; level++, m <<= 1)
        {
            prg.ExpandLevel(leaves, m);
            int opened = choices[level] & 1;     // the side whose sum the OT opens: off the path
            var side = leaves.Slice(opened * m, m);
            var sum = message[2 * level + opened] ^ pads[level];
            // The punctured parent expanded to garbage: the sibling is the opened sum minus every other node of the side.
            side[punctured] = Vector128<ulong>.Zero;
            side[punctured] = sum ^ Sum(side);
            punctured += (1 - opened) * m;
            leaves[punctured] = Vector128<ulong>.Zero;
        }
        ClearLowBits(leaves[..(1 << depth)]);
        leaves[punctured] = message[2 * depth] ^ Sum(leaves[..(1 << depth)]);
        return punctured;
    }

    /// <summary>Even leaves: with Δ odd, w_α = v_α ⊕ Δ is the only odd one, so a leaf's lowest bit is its choice e_i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ClearLowBits(Span<Vector128<ulong>> leaves)
    {
        var mask = Vector128.Create(~1UL, ~0UL);
        for (int i = 0; i < leaves.Length; i++) leaves[i] &= mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<ulong> Sum(ReadOnlySpan<Vector128<ulong>> blocks)
    {
        Vector128<ulong> a = Vector128<ulong>.Zero, b = Vector128<ulong>.Zero;
        int i = 0;
        for (; i + 2 <= blocks.Length; i += 2)
        {
            a ^= blocks[i];
            b ^= blocks[i + 1];
        }
        if (i < blocks.Length) a ^= blocks[i];
        return a ^ b;
    }
}
