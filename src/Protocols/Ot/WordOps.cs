using System.Numerics;
using System.Runtime.InteropServices;

namespace CoPriv.Protocols.Ot;

/// <summary>Whole-buffer XORs used on extension columns and rows.</summary>
internal static class WordOps
{
    /// <summary>dst[i] ^= src[i] for i &lt; dst.Length.</summary>
    public static void Xor(Span<ulong> dst, ReadOnlySpan<ulong> src)
    {
        src = src[..dst.Length];
        var vd = MemoryMarshal.Cast<ulong, Vector<ulong>>(dst);
        var vs = MemoryMarshal.Cast<ulong, Vector<ulong>>(src);
        for (int i = 0; i < vd.Length; i++) vd[i] ^= vs[i];
        for (int i = vd.Length * Vector<ulong>.Count; i < dst.Length; i++) dst[i] ^= src[i];
    }
}
