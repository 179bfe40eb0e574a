namespace CoPriv.Protocols.Ot;

/// <summary>
/// Exact wire cost of every call of <see cref="IOtSender"/> / <see cref="IOtReceiver"/> and of the precomputed
/// batches, as the meters count it (tests hold the two equal byte for byte). λ = 128.
/// <list type="bullet">
/// <item>IKNP receiver: 16 bytes per OT (its 128-bit row u_i); KK receiver: 32 bytes per OT.</item>
/// <item>Sender reply, bit-packed per chunk (see <see cref="OtChunking"/>): chosen 2ℓ, correlated ℓ, packed Σ v·ℓ_i,
/// 1-of-N N·ℓ bits per OT, random none. With uniform widths every full chunk fills whole bytes, so the reply is
/// ⌈n·bits/8⌉ bytes; a packed call with mixed widths rounds once per chunk.</item>
/// <item>Derandomizing precomputed random COTs: receiver ⌈n/8⌉ bytes (the flips), sender as above.</item>
/// <item>Rounds of a call with k chunks and a reply: k + 1 + max(0, k − D) with D = <see cref="ChunkPipeline.Depth"/>
/// (the sender's k answers; the receiver's first D requests are one flight, each later one follows a reply); without
/// a reply: 1. This assumes the call starts a new flight at the receiver, i.e. the
/// receiver's previous operation on the instance's stream was not a send; after a random OT (which ends with the
/// receiver's send) the next call's first flight merges with it and the sequence counts one round fewer.</item>
/// </list>
/// </summary>
public static class OtCosts
{
    private const int IknpRowBytes = 16;
    private const int KkRowBytes = 32;

    /// <summary>
    /// Bytes each party sends during <see cref="OtSession.Establish"/>: its base-OT sender point, 128 answer points,
    /// the rows of 256 extended OTs for the peer's KK keys, and the one-byte wire version.
    /// </summary>
    public const long BaseOtSetupBytesPerParty = ChouOrlandiBaseOt.PointBytes * (1L + OtSession.BaseOtsPerInstance)
                                                + IknpRowBytes * OtSession.ExtendedBaseOtsPerInstance + 1;

    /// <summary>Rounds of the setup (four flights per party).</summary>
    public const long BaseOtSetupRounds = 8;

    /// <summary>Chosen-message OT, ℓ = bits: 128 + 2ℓ bits per OT.</summary>
    public static OtTraffic Chosen(long n, int bits) => Extension(n, IknpRowBytes, 2L * CheckBits(bits));

    /// <summary>Correlated OT, ℓ = bits: 128 + ℓ bits per OT.</summary>
    public static OtTraffic Correlated(long n, int bits) => Extension(n, IknpRowBytes, CheckBits(bits));

    /// <summary>Random OT (<see cref="IOtSender.SendRandom"/>): 128 bits per OT, whatever the width.</summary>
    public static OtTraffic Random(long n) => Extension(n, IknpRowBytes, 0);

    /// <summary>Random COT with the global Δ (<see cref="IOtSender.SendRandomCot"/>): 128 bits per OT.</summary>
    public static OtTraffic RandomCot(long n) => Extension(n, IknpRowBytes, 0);

    /// <summary>
    /// <see cref="IOtSender.PrecomputeRandomCot"/>: 128 bits per OT, booked as pre-processing
    /// (use <c>ToCost(sender, Phase.Preprocessing)</c>).
    /// </summary>
    public static OtTraffic PrecomputeRandomCot(long n) => RandomCot(n);

    /// <summary>1-out-of-N OT (Kolesnikov–Kumaresan): 256 + N·ℓ bits per OT.</summary>
    public static OtTraffic OneOfN(long count, int n, int bits)
    {
        OtArguments.CheckN(n);
        return Extension(count, KkRowBytes, (long)n * CheckBits(bits));
    }

    /// <summary>Packed correlated OT with the same width for every OT: 128 + v·ℓ bits per OT.</summary>
    public static OtTraffic CorrelatedPacked(long n, int valuesPerOt, int bits)
    {
        if (valuesPerOt < 1) throw new ArgumentException($"valuesPerOt must be positive, got {valuesPerOt}", nameof(valuesPerOt));
        return Extension(n, IknpRowBytes, (long)valuesPerOt * CheckBits(bits));
    }

    /// <summary>Packed correlated OT with per-OT widths, exactly as <see cref="IOtSender.SendCorrelatedPacked"/> sends it.</summary>
    public static OtTraffic CorrelatedPacked(int valuesPerOt, ReadOnlySpan<int> bitsPerOt)
    {
        int maxBits = OtArguments.CheckPacked(valuesPerOt, bitsPerOt);
        int n = bitsPerOt.Length;
        int chunk = OtChunking.ChunkOts((long)valuesPerOt * maxBits);
        long reply = 0;
        for (int start = 0; start < n; start += chunk)
        {
            var slice = bitsPerOt.Slice(start, Math.Min(chunk, n - start));
            reply += (IknpPayloads.PackedReplyBits(valuesPerOt, slice) + 7) / 8;
        }
        return new OtTraffic(reply, (long)IknpRowBytes * n, Rounds(OtChunking.Chunks(n, chunk), reply > 0));
    }

    /// <summary>Online chosen-message OT from precomputed random COTs: 1 + 2ℓ bits per OT.</summary>
    public static OtTraffic DerandomizedChosen(long n, int bits) => Derandomized(n, 2L * CheckBits(bits));

    /// <summary>Online correlated OT from precomputed random COTs: 1 + ℓ bits per OT.</summary>
    public static OtTraffic DerandomizedCorrelated(long n, int bits) => Derandomized(n, CheckBits(bits));

    private static OtTraffic Extension(long n, int rowBytes, long replyBitsPerOt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int chunk = OtChunking.ChunkOts(replyBitsPerOt);
        long reply = OtChunking.UniformReplyBytes(n, replyBitsPerOt);
        return new OtTraffic(reply, rowBytes * n, Rounds(OtChunking.Chunks(n, chunk), replyBitsPerOt > 0));
    }

    private static OtTraffic Derandomized(long n, long replyBitsPerOt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int chunk = OtChunking.ChunkOts(replyBitsPerOt);
        return new OtTraffic(OtChunking.UniformReplyBytes(n, replyBitsPerOt), OtChunking.UniformReplyBytes(n, 1),
            Rounds(OtChunking.Chunks(n, chunk), true));
    }

    private static long Rounds(long chunks, bool reply) =>
        chunks == 0 ? 0 : !reply ? 1 : chunks + 1 + Math.Max(0, chunks - ChunkPipeline.Depth);

    private static int CheckBits(int bits)
    {
        OtArguments.CheckBits(bits);
        return bits;
    }
}
