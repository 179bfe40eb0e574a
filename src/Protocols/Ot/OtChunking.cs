using CoPriv.Protocols.Channels;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// How a batched OT call is cut into chunks. Both parties and <see cref="OtCosts"/> derive the same cut from the
/// call's parameters, so byte counts (which round each chunk's packed reply up to whole bytes) are predictable.
/// </summary>
public static class OtChunking
{
    /// <summary>The most OTs per chunk.</summary>
    public const int MaxChunkOts = 16384;

    /// <summary>Chunk sizes are multiples of this (so every full chunk's packed bits fill whole bytes).</summary>
    public const int ChunkAlignment = BitMatrixTranspose.RowAlignment;

    /// <summary>Chunks are shortened so that the sender's reply to one stays near 1 MiB.</summary>
    public const long ReplyBudgetBits = 8L << 20;

    /// <summary>OTs per chunk for a call whose widest reply per OT is <paramref name="maxReplyBitsPerOt"/> bits.</summary>
    public static int ChunkOts(long maxReplyBitsPerOt)
    {
        if (maxReplyBitsPerOt <= 0) return MaxChunkOts;
        long rows = ReplyBudgetBits / maxReplyBitsPerOt / ChunkAlignment * ChunkAlignment;
        return (int)Math.Clamp(rows, ChunkAlignment, MaxChunkOts);
    }

    /// <summary>Packed reply bytes of a call with uniform reply bits per OT: each chunk rounds up on its own.</summary>
    public static long UniformReplyBytes(long n, long replyBitsPerOt)
    {
        int chunk = ChunkOts(replyBitsPerOt);
        long full = n / chunk, rest = n % chunk;
        return full * BitPacking.PackedBytes(chunk, checked((int)replyBitsPerOt))
             + (rest > 0 ? (rest * replyBitsPerOt + 7) / 8 : 0);
    }

    /// <summary>Number of chunks of a call of n OTs.</summary>
    public static long Chunks(long n, int chunkOts) => (n + chunkOts - 1) / chunkOts;
}
