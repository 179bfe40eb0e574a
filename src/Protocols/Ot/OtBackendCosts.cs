namespace CoPriv.Protocols.Ot;

/// <summary>
/// Exact wire cost of every call of <see cref="IOtSender"/> / <see cref="IOtReceiver"/> and of the precomputed
/// batches, as the meters count it (tests hold the two equal byte for byte), computed from one backend's per-OT
/// figures (<see cref="OtBackend.Costs"/>; IKNP: 128-bit rows, 256-bit 1-of-N rows; Ferret: one bit per COT). Any
/// party may compute them; they reveal only sizes both parties know.
/// <list type="bullet">
/// <item>Receiver: <see cref="TwoMessageRequestBits"/> per two-message OT; per 1-of-N OT <see cref="OneOfNRequestBits"/>,
/// or ⌈log₂ N⌉ · <see cref="TwoMessageRequestBits"/> when <see cref="OneOfNFromCots"/>. Chunks hold a multiple of
/// <see cref="OtChunking.ChunkAlignment"/> OTs, so only the last chunk rounds up to whole bytes.</item>
/// <item>Sender reply, bit-packed per chunk (see <see cref="OtChunking"/>): chosen 2ℓ, correlated ℓ, packed Σ v·ℓ_i,
/// 1-of-N N·ℓ bits per OT, random none. With uniform widths every full chunk fills whole bytes, so the reply is
/// ⌈n·bits/8⌉ bytes; a packed call with mixed widths rounds once per chunk.</item>
/// <item>Derandomizing precomputed random COTs: receiver ⌈n/8⌉ bytes (the flips), sender as above, whatever the
/// backend (the flips are the OT-flavour layer's, not the backend's).</item>
/// <item>A random OT or COT under a backend with <see cref="FreeRandomChoices"/> sends nothing: no bytes, no round.</item>
/// <item>Rounds of a call with k chunks and a reply: k + 1 + max(0, k − D) with D = <see cref="ChunkPipeline.Depth"/>
/// (the sender's k answers; the receiver's first D requests are one flight, each later one follows a reply); without
/// a reply: 1. This assumes the call starts a new flight at the receiver, i.e. the
/// receiver's previous operation on the instance's stream was not a send; after a random OT (which ends with the
/// receiver's send) the next call's first flight merges with it and the sequence counts one round fewer.</item>
/// </list>
/// </summary>
/// <param name="TwoMessageRequestBits">bits the receiver sends per chosen, correlated, packed or random OT (IKNP: its
/// 128-bit row; Ferret: the one bit that turns a random COT's choice into the chosen one).</param>
/// <param name="OneOfNRequestBits">bits the receiver sends per 1-out-of-N OT of a Kolesnikov–Kumaresan source (IKNP:
/// its 256-bit row); unused when <paramref name="OneOfNFromCots"/>.</param>
/// <param name="OneOfNFromCots">1-out-of-N OT takes ⌈log₂ N⌉ two-message COTs per OT instead (Ferret): the receiver
/// sends <paramref name="TwoMessageRequestBits"/> per COT.</param>
/// <param name="FreeRandomChoices">random OTs and random COTs take the backend's own random choices and send no request
/// (Ferret); otherwise they cost a request like any other OT.</param>
/// <param name="SetupBytesPerParty">bytes each party sends in <see cref="OtSession.Establish"/>.</param>
/// <param name="SetupRounds">rounds of the setup, both parties' flights together.</param>
/// <param name="Batching">how a backend that makes its COTs in batches pays for them (none for IKNP).</param>
public readonly record struct OtBackendCosts(int TwoMessageRequestBits, int OneOfNRequestBits, bool OneOfNFromCots,
    bool FreeRandomChoices, long SetupBytesPerParty, long SetupRounds, CotBatching Batching = default)
{
    /// <summary>
    /// Bytes the sender of one instance sends, beyond <see cref="SetupBytesPerParty"/>, to make the batches of a
    /// session that takes <paramref name="cots"/> COTs from it (booked as setup: they depend on no input and no layer).
    /// </summary>
    public long GenerationBytes(long cots) => Batching.Bytes(cots);

    /// <summary>Chosen-message OT, ℓ = bits: request + 2ℓ bits per OT.</summary>
    public OtTraffic Chosen(long n, int bits) => Extension(n, TwoMessageRequestBits, 2L * CheckBits(bits), n);

    /// <summary>Correlated OT, ℓ = bits: request + ℓ bits per OT.</summary>
    public OtTraffic Correlated(long n, int bits) => Extension(n, TwoMessageRequestBits, CheckBits(bits), n);

    /// <summary>Random OT (<see cref="IOtSender.SendRandom"/>): the request only (none with <see cref="FreeRandomChoices"/>), whatever the width.</summary>
    public OtTraffic Random(long n) => Extension(n, RandomRequestBits, 0, n);

    /// <summary>Random COT with the global Δ (<see cref="IOtSender.SendRandomCot"/>): the request only (none with <see cref="FreeRandomChoices"/>).</summary>
    public OtTraffic RandomCot(long n) => Extension(n, RandomRequestBits, 0, n);

    private int RandomRequestBits => FreeRandomChoices ? 0 : TwoMessageRequestBits;

    /// <summary>
    /// <see cref="IOtSender.PrecomputeRandomCot"/>: as <see cref="RandomCot"/>, booked as pre-processing
    /// (use <c>ToCost(sender, Phase.Preprocessing)</c>).
    /// </summary>
    public OtTraffic PrecomputeRandomCot(long n) => RandomCot(n);

    /// <summary>
    /// 1-out-of-N OT: the request (<see cref="OneOfNRequestBits"/>, or ⌈log₂ N⌉ COTs' requests) + N·ℓ bits per OT.
    /// </summary>
    public OtTraffic OneOfN(long count, int n, int bits)
    {
        OtArguments.CheckN(n);
        long replyBits = (long)n * CheckBits(bits);
        if (!OneOfNFromCots) return Extension(count, OneOfNRequestBits, replyBits, 0);
        int digitBits = OtArguments.DigitBits(n);
        return Extension(count, digitBits * TwoMessageRequestBits, replyBits, count * digitBits);
    }

    /// <summary>Packed correlated OT with the same width for every OT: 8·row + v·ℓ bits per OT.</summary>
    public OtTraffic CorrelatedPacked(long n, int valuesPerOt, int bits)
    {
        if (valuesPerOt < 1) throw new ArgumentException($"valuesPerOt must be positive, got {valuesPerOt}", nameof(valuesPerOt));
        return Extension(n, TwoMessageRequestBits, (long)valuesPerOt * CheckBits(bits), n);
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
        return new OtTraffic(reply, RequestBytes(n, TwoMessageRequestBits), Rounds(OtChunking.Chunks(n, chunk), reply > 0), n);
    }

    /// <summary>Online chosen-message OT from precomputed random COTs: 1 + 2ℓ bits per OT.</summary>
    public OtTraffic DerandomizedChosen(long n, int bits) => Derandomized(n, 2L * CheckBits(bits));

    /// <summary>Online correlated OT from precomputed random COTs: 1 + ℓ bits per OT.</summary>
    public OtTraffic DerandomizedCorrelated(long n, int bits) => Derandomized(n, CheckBits(bits));

    private static OtTraffic Extension(long n, long requestBitsPerOt, long replyBitsPerOt, long cots)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int chunk = OtChunking.ChunkOts(replyBitsPerOt);
        long reply = OtChunking.UniformReplyBytes(n, replyBitsPerOt);
        long chunks = requestBitsPerOt == 0 && replyBitsPerOt == 0 ? 0 : OtChunking.Chunks(n, chunk);
        return new OtTraffic(reply, RequestBytes(n, requestBitsPerOt), Rounds(chunks, replyBitsPerOt > 0), cots);
    }

    // Every full chunk holds a multiple of ChunkAlignment (a multiple of 8) OTs, so its request fills whole bytes
    // and only the last chunk rounds up: the call's request is ⌈n·bits/8⌉ bytes whatever the chunk size.
    private static long RequestBytes(long n, long bitsPerOt) => (n * bitsPerOt + 7) / 8;

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

/// <summary>
/// How a backend that makes COTs in batches (Ferret's iterations) pays for them. The instance's sender runs a batch
/// whenever fewer than <see cref="LowWater"/> COTs are left after a call (the most one chunk of a call can take, so
/// the receiver, which runs its batches when it needs them, always finds the sender's message already sent); the
/// setup leaves <see cref="Available"/>. Only the total the session takes decides how many batches run, not the order.
/// </summary>
/// <param name="Available">COTs left after the setup.</param>
/// <param name="PerBatch">COTs one batch adds.</param>
/// <param name="BytesPerBatch">bytes the sender sends per batch (the receiver sends none).</param>
/// <param name="LowWater">the fewest COTs the sender keeps after every call.</param>
public readonly record struct CotBatching(long Available, long PerBatch, long BytesPerBatch, long LowWater)
{
    /// <summary>Batches run after the setup once <paramref name="cots"/> COTs have been taken (0 without batching).</summary>
    public long Batches(long cots)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cots);
        if (PerBatch == 0) return 0;
        long missing = cots + LowWater - Available;
        return missing <= 0 ? 0 : (missing + PerBatch - 1) / PerBatch;
    }

    /// <summary>Bytes of those batches.</summary>
    public long Bytes(long cots) => Batches(cots) * BytesPerBatch;
}
