using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// The length-doubling PRG of the GGM trees: G(s) = (π_L(s) ⊕ s, π_R(s) ⊕ s), with π_L and π_R AES-128 under two
/// public fixed keys (Davies–Meyer with two keys, as emp-ot's GGM trees do). Both parties expand with it: the sender
/// whole trees, the receiver every subtree off its punctured path. Not thread-safe under the portable AES path:
/// one instance per thread.
/// </summary>
internal sealed class GgmPrg
{
    private static readonly byte[] LeftKey = "CoPriv-GGM-left."u8.ToArray();
    private static readonly byte[] RightKey = "CoPriv-GGM-right"u8.ToArray();

    private readonly Aes128 _left = new(LeftKey), _right = new(RightKey);
    private Vector128<ulong>[] _parents = [];

    /// <summary>
    /// Expands the level held in nodes[0, m) to the next, in place: node j's left child goes to j, its right child
    /// to j + m (so a leaf's index has the first level's bit as its least significant bit). nodes must hold 2m blocks.
    /// </summary>
    /// <remarks>Optimized at once: an iteration is over before tiered compilation would promote the hot loops.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ExpandLevel(Span<Vector128<ulong>> nodes, int m)
    {
        var parents = Scratch.Ensure(ref _parents, m);
        nodes[..m].CopyTo(parents);
        var left = nodes[..m];
        var right = nodes.Slice(m, m);
        _left.EncryptBlocks(AsUlongs(parents), AsUlongs(left));
        _right.EncryptBlocks(AsUlongs(parents), AsUlongs(right));
        for (int j = 0; j < m; j++)
        {
            left[j] ^= parents[j];
            right[j] ^= parents[j];
        }
    }

    private static Span<ulong> AsUlongs(Span<Vector128<ulong>> blocks) => MemoryMarshal.Cast<Vector128<ulong>, ulong>(blocks);
}
