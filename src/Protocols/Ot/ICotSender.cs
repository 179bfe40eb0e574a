namespace CoPriv.Protocols.Ot;

/// <summary>
/// The sender's half of a correlated-OT source, the layer every OT flavour is derived from (emp-ot's COT). Per chunk
/// it takes the receiver's request and gives rows q_i of <see cref="RowWords"/> ulongs such that the receiver, for
/// its choice c_i, holds q_i ⊕ (code(c_i) ∧ Δ). Two-message COT uses the repetition code (c_i one bit, 128-bit rows,
/// Δ = <see cref="Delta"/>); the 1-out-of-N source uses the Walsh–Hadamard code (c_i a digit, 256-bit rows). The
/// party that sends the OTs calls it once per chunk (never per OT, so the interface call stays off the hot loop);
/// it learns nothing about the choices. A new backend (Ferret next) implements this and <see cref="ICotReceiver"/>.
/// </summary>
internal interface ICotSender
{
    /// <summary>ulongs per row: 2 for two-message COT, 4 for 1-out-of-N.</summary>
    int RowWords { get; }

    /// <summary>Δ as <see cref="RowWords"/> ulongs; fixed for the life of the source, known only to the sender.</summary>
    ReadOnlySpan<ulong> Delta { get; }

    /// <summary>The instance-wide index the next row will get (the hash tweak of OT 0 of the next chunk).</summary>
    ulong NextIndex { get; }

    /// <summary>Bytes the receiver sends for a chunk of <paramref name="count"/> OTs.</summary>
    int RequestBytes(int count);

    /// <summary>
    /// Bytes the receiver sends for a chunk of <paramref name="count"/> OTs whose choices are random (its own pick):
    /// as <see cref="RequestBytes"/>, or none when the source's own random choices serve (Ferret).
    /// </summary>
    int RandomRequestBytes(int count) => RequestBytes(count);

    /// <summary>
    /// The rows q of the next <paramref name="count"/> OTs from the receiver's request; valid until the next call.
    /// <paramref name="firstIndex"/> is the instance-wide index of the first.
    /// </summary>
    ReadOnlySpan<ulong> Correlate(int count, ReadOnlySpan<byte> request, out ulong firstIndex);

    /// <summary>
    /// Makes the next <paramref name="count"/> COTs now, so that the calls that take them run no generation step: a
    /// backend that makes COTs in input-independent batches (Ferret) runs its iterations here; one that extends per
    /// call (IKNP) has nothing to make ahead. The peer's receiver of this instance must prepare the same count at
    /// the same point of the instance's sequence.
    /// </summary>
    void Prepare(int count) { }
}

/// <summary>
/// The receiver's half of a correlated-OT source (mirror of <see cref="ICotSender"/>): for its choices it makes the
/// request to send and keeps its rows q_i ⊕ (code(c_i) ∧ Δ) in one of <see cref="ChunkPipeline.Depth"/> slots until
/// the sender's reply to that chunk arrives. Called once per chunk by the party that receives the OTs; it learns its
/// rows and nothing about Δ.
/// </summary>
internal interface ICotReceiver
{
    /// <summary>ulongs per row, as <see cref="ICotSender.RowWords"/>.</summary>
    int RowWords { get; }

    /// <summary>The instance-wide index the next row will get.</summary>
    ulong NextIndex { get; }

    /// <summary>
    /// Prepares the next choices.Length OTs in state slot <paramref name="slot"/> and returns the request to send
    /// (valid until the next call).
    /// </summary>
    ReadOnlySpan<byte> Correlate(ReadOnlySpan<byte> choices, int slot);

    /// <summary>
    /// True when the source makes its COTs with uniformly random choices of its own that a random OT can take as
    /// they are (<see cref="CorrelateRandom"/> writes them); false when the caller draws them.
    /// </summary>
    bool FreeRandomChoices => false;

    /// <summary>
    /// As <see cref="Correlate"/> for OTs whose choices are random: with <see cref="FreeRandomChoices"/> it writes the
    /// source's own choices into <paramref name="choices"/> and returns an empty request (<see cref="ICotSender.RandomRequestBytes"/>);
    /// otherwise <paramref name="choices"/> hold the caller's random bits and this is <see cref="Correlate"/>.
    /// </summary>
    ReadOnlySpan<byte> CorrelateRandom(Span<byte> choices, int slot) => Correlate(choices, slot);

    /// <summary>The rows kept in <paramref name="slot"/> and the instance-wide index of the first.</summary>
    ReadOnlySpan<ulong> Rows(int slot, out ulong firstIndex);

    /// <summary>Mirror of <see cref="ICotSender.Prepare"/>, with the same count as the peer's sender.</summary>
    void Prepare(int count) { }
}
