namespace CoPriv.Protocols.Ot;

/// <summary>
/// Exact wire cost of every call of <see cref="IOtSender"/> / <see cref="IOtReceiver"/> and of the precomputed
/// batches, as the meters count it (tests hold the two equal byte for byte), computed from one backend's per-OT
/// figures (<see cref="OtBackend.Costs"/>; IKNP: 16-byte rows, 32-byte 1-of-N rows). Any party may compute them;
/// they reveal only sizes both parties know.
/// <list type="bullet">
/// <item>Receiver: <see cref="TwoMessageRowBytes"/> per two-message OT, <see cref="OneOfNRowBytes"/> per 1-of-N OT.</item>
/// <item>Sender reply, bit-packed per chunk (see <see cref="OtChunking"/>): chosen 2ℓ, correlated ℓ, packed Σ v·ℓ_i,
/// 1-of-N N·ℓ bits per OT, random none. With uniform widths every full chunk fills whole bytes, so the reply is
/// ⌈n·bits/8⌉ bytes; a packed call with mixed widths rounds once per chunk.</item>
/// <item>Derandomizing precomputed random COTs: receiver ⌈n/8⌉ bytes (the flips), sender as above, whatever the
/// backend (the flips are the OT-flavour layer's, not the backend's).</item>
/// <item>Rounds of a call with k chunks and a reply: k + 1 + max(0, k − D) with D = <see cref="ChunkPipeline.Depth"/>
/// (the sender's k answers; the receiver's first D requests are one flight, each later one follows a reply); without
/// a reply: 1. This assumes the call starts a new flight at the receiver, i.e. the
/// receiver's previous operation on the instance's stream was not a send; after a random OT (which ends with the
/// receiver's send) the next call's first flight merges with it and the sequence counts one round fewer.</item>
/// </list>
/// </summary>
/// <param name="TwoMessageRowBytes">bytes the receiver sends per chosen, correlated, packed or random OT.</param>
/// <param name="OneOfNRowBytes">bytes the receiver sends per 1-out-of-N OT.</param>
/// <param name="SetupBytesPerParty">bytes each party sends in <see cref="OtSession.Establish"/>.</param>
/// <param name="SetupRounds">rounds of the setup, both parties' flights together.</param>
public readonly record struct OtBackendCosts(int TwoMessageRowBytes, int OneOfNRowBytes, long SetupBytesPerParty, long SetupRounds)
{
    /// <summary>Chosen-message OT, ℓ = bits: 8·row + 2ℓ bits per OT.</summary>
    public OtTraffic Chosen(long n, int bits) => Extension(n, TwoMessageRowBytes, 2L * CheckBits(bits));

    /// <summary>Correlated OT, ℓ = bits: 8·row + ℓ bits per OT.</summary>
    public OtTraffic Correlated(long n, int bits) => Extension(n, TwoMessageRowBytes, CheckBits(bits));

    /// <summary>Random OT (<see cref="IOtSender.SendRandom"/>): the row only, whatever the width.</summary>
    public OtTraffic Random(long n) => Extension(n, TwoMessageRowBytes, 0);

    /// <summary>Random COT with the global Δ (<see cref="IOtSender.SendRandomCot"/>): the row only.</summary>
    public OtTraffic RandomCot(long n) => Extension(n, TwoMessageRowBytes, 0);

    /// <summary>
    /// <see cref="IOtSender.PrecomputeRandomCot"/>: as <see cref="RandomCot"/>, booked as pre-processing
    /// (use <c>ToCost(sender, Phase.Preprocessing)</c>).
    /// </summary>
    public OtTraffic PrecomputeRandomCot(long n) => RandomCot(n);

    /// <summary>1-out-of-N OT: 8·<see cref="OneOfNRowBytes"/> + N·ℓ bits per OT.</summary>
    public OtTraffic OneOfN(long count, int n, int bits)
    {
        OtArguments.CheckN(n);
        return Extension(count, OneOfNRowBytes, (long)n * CheckBits(bits));
    }

    /// <summary>Packed correlated OT with the same width for every OT: 8·row + v·ℓ bits per OT.</summary>
    public OtTraffic CorrelatedPacked(long n, int valuesPerOt, int bits)
    {
        if (valuesPerOt < 1) throw new ArgumentException($"valuesPerOt must be positive, got {valuesPerOt}", nameof(valuesPerOt));
        return Extension(n, TwoMessageRowBytes, (long)valuesPerOt * CheckBits(bits));
    }

    /// <summary>Packed correlated OT with per-OT widths, exactly as <see cref="IOtSender.SendCorrelatedPacked"/> sends it.</summary>
    public OtTraffic CorrelatedPacked(int valuesPerOt, ReadOnlySpan<int> bitsPerOt)
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
        return new OtTraffic(reply, (long)TwoMessageRowBytes * n, Rounds(OtChunking.Chunks(n, chunk), reply > 0));
    }

    /// <summary>Online chosen-message OT from precomputed random COTs: 1 + 2ℓ bits per OT.</summary>
    public OtTraffic DerandomizedChosen(long n, int bits) => Derandomized(n, 2L * CheckBits(bits));

    /// <summary>Online correlated OT from precomputed random COTs: 1 + ℓ bits per OT.</summary>
    public OtTraffic DerandomizedCorrelated(long n, int bits) => Derandomized(n, CheckBits(bits));

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
