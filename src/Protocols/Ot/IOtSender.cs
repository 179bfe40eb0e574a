namespace CoPriv.Protocols.Ot;

/// <summary>
/// The sender's side of one OT-extension instance (this party sends, the peer chooses). All calls are batched and
/// blocking, run on the instance's own stream, and must be matched call for call by the peer's
/// <see cref="IOtReceiver"/> with the same sizes and widths. Values are ulongs reduced to the stated bit width;
/// correlations are additive mod 2^bits. The sender learns nothing about the choices. The wire figures below are
/// IKNP's (128-bit rows); <see cref="OtBackendCosts"/> gives every call's exact cost under the session's backend.
/// </summary>
public interface IOtSender
{
    /// <summary>Chosen-message OT: the receiver gets m0[i] or m1[i] (bits wide). Wire: 128 + 2·bits per OT.</summary>
    void SendChosen(ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits);

    /// <summary>
    /// Correlated OT: the sender gets random x0[i] (returned), the receiver gets x0[i] + c·delta[i] mod 2^bits for
    /// its choice c. Wire: 128 + bits per OT.
    /// </summary>
    void SendCorrelated(ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0);

    /// <summary>
    /// Correlated OT where one choice bit carries a vector: OT i carries <paramref name="valuesPerOt"/> values of
    /// bitsPerOt[i] bits each, deltas and outputs laid out OT-major (i·valuesPerOt + j). Wire: 128 per OT plus
    /// the packed bits of all values (bit-packed across
    /// the batch, rounded up to a byte once per chunk: see <see cref="OtBackendCosts.CorrelatedPacked(int, ReadOnlySpan{int})"/>).
    /// </summary>
    void SendCorrelatedPacked(ReadOnlySpan<ulong> delta, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> x0);

    /// <summary>Random OT: the sender gets two random bits-wide messages per OT. Wire: 128 per OT.</summary>
    void SendRandom(Span<ulong> r0, Span<ulong> r1, int bits);

    /// <summary>
    /// 1-out-of-N OT (Kolesnikov–Kumaresan, N ≤ 256): messages laid out OT-major, N per OT (i·N + x), bits wide.
    /// Wire: 256 + N·bits per OT.
    /// </summary>
    void SendOneOfN(ReadOnlySpan<ulong> messages, int n, int bits);

    /// <summary>
    /// The global correlation Δ of <see cref="SendRandomCot"/>: fixed for the life of the instance (it is the
    /// sender's base-OT choice vector) and known only to the sender.
    /// </summary>
    UInt128 GlobalDelta { get; }

    /// <summary>
    /// Random correlated OT over 128-bit blocks with the global Δ: the sender gets random x0[i] (blocks as (low, high)
    /// ulong pairs, 2 per OT); the receiver gets a random choice c and x0[i] ⊕ c·Δ. Wire: 128 per OT.
    /// </summary>
    void SendRandomCot(Span<ulong> x0Blocks);

    /// <summary>
    /// Runs <paramref name="count"/> random COTs now, booked as <see cref="Channels.Phase.Preprocessing"/>, for
    /// later online use (see <see cref="RandomCotSenderBatch"/>). Wire now: 128 per OT.
    /// </summary>
    RandomCotSenderBatch PrecomputeRandomCot(int count);

    /// <summary>
    /// Makes the random COTs of the next <paramref name="count"/> two-message OTs (a 1-out-of-N OT takes ⌈log₂ N⌉ of
    /// them under a backend that derives it from COTs) before the calls that take them: a batch-making backend
    /// (Ferret) runs its input-independent iterations now, booked as setup traffic like its other iterations; IKNP
    /// has nothing to make ahead. The peer's <see cref="IOtReceiver.PrepareCots"/> must get the same count at the same
    /// point; <see cref="OtSession.PrepareCots"/> does both instances in the order that never waits.
    /// </summary>
    void PrepareCots(int count);
}

/// <summary>The receiver's side of one OT-extension instance; mirrors <see cref="IOtSender"/> call for call.</summary>
public interface IOtReceiver
{
    /// <summary>choices[i] ∈ {0,1}; result[i] = m_{choices[i]}[i].</summary>
    void ReceiveChosen(ReadOnlySpan<byte> choices, int bits, Span<ulong> result);

    /// <summary>result[i] = x0[i] + choices[i]·delta[i] mod 2^bits.</summary>
    void ReceiveCorrelated(ReadOnlySpan<byte> choices, int bits, Span<ulong> result);

    /// <summary>Mirror of <see cref="IOtSender.SendCorrelatedPacked"/>; result laid out OT-major.</summary>
    void ReceiveCorrelatedPacked(ReadOnlySpan<byte> choices, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> result);

    /// <summary>Random OT: random choices are drawn and returned with the chosen message.</summary>
    void ReceiveRandom(Span<byte> choices, Span<ulong> result, int bits);

    /// <summary>choices[i] ∈ [0, N); result[i] = messages[i·N + choices[i]].</summary>
    void ReceiveOneOfN(ReadOnlySpan<byte> choices, int n, int bits, Span<ulong> result);

    /// <summary>Mirror of <see cref="IOtSender.SendRandomCot"/>: random choices are drawn and returned with the blocks.</summary>
    void ReceiveRandomCot(Span<byte> choices, Span<ulong> blocks);

    /// <summary>Mirror of <see cref="IOtSender.PrecomputeRandomCot"/>.</summary>
    RandomCotReceiverBatch PrecomputeRandomCot(int count);

    /// <summary>Mirror of <see cref="IOtSender.PrepareCots"/>: the same count as the peer's sender, at the same point.</summary>
    void PrepareCots(int count);
}
