using CoPriv.Protocols.Channels;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// Random correlated OTs made ahead of time (booked as pre-processing), held by the OT sender: row q_i with
/// the receiver holding c_i and q_i ⊕ c_i·Δ. Online they become chosen-message or correlated OTs by Beaver's
/// derandomization: the receiver sends e_i = b_i ⊕ c_i (1 bit), the sender answers as in IKNP with its rows
/// shifted by e_i·Δ. Online cost per OT: receiver 1 bit, sender 2ℓ bits (chosen) or ℓ bits (correlated), instead of
/// 128 + 2ℓ / 128 + ℓ; see <see cref="OtBackendCosts.DerandomizedChosen"/>. OTs are consumed in order and each is used
/// once; the peer's <see cref="RandomCotReceiverBatch"/> must make the same calls. Uses the instance's stream:
/// do not use the instance from another thread meanwhile. The sender learns nothing about b.
/// </summary>
public sealed class RandomCotSenderBatch
{
    private readonly IMessageStream _stream;
    private readonly IknpPayloads _payloads;
    private readonly ulong[] _secret;
    private readonly ulong[] _rows;
    private readonly ulong _firstIndex;
    private ulong[] _shifted = [];
    private byte[] _request = [], _reply = [];
    private int _used;

    internal RandomCotSenderBatch(IMessageStream stream, IknpPayloads payloads, ulong[] secret, ulong[] rows, ulong firstIndex)
    {
        _stream = stream;
        _payloads = payloads;
        _secret = secret;
        _rows = rows;
        _firstIndex = firstIndex;
    }

    public int Count => _rows.Length / 2;
    public int Remaining => Count - _used;

    /// <summary>Chosen-message OT on the next m0.Length precomputed OTs: the receiver gets m_b[i].</summary>
    public void SendChosen(ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(m1), m1.Length, m0.Length);
        int used = Take(m0.Length);
        var job = new ChosenJob(this, used, m0, m1, bits);
        ChunkPipeline.RunSender(_stream, m0.Length, OtChunking.ChunkOts(2L * bits), ref job, ref _request, ref _reply);
    }

    /// <summary>Correlated OT on the next delta.Length precomputed OTs: x0 random (returned), receiver gets x0 + b·delta.</summary>
    public void SendCorrelated(ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(x0), x0.Length, delta.Length);
        int used = Take(delta.Length);
        var job = new CorrelatedJob(this, used, delta, bits, x0);
        ChunkPipeline.RunSender(_stream, delta.Length, OtChunking.ChunkOts(bits), ref job, ref _request, ref _reply);
    }

    private int Take(int count)
    {
        if (count > Remaining)
            throw new ArgumentException($"the batch has {Remaining} precomputed OTs left, {count} requested");
        int used = _used;
        _used += count;
        return used;
    }

    /// <summary>The rows q_i ⊕ e_i·Δ of a chunk, whose hash pads message 0.</summary>
    private ReadOnlySpan<ulong> ShiftedRows(int offset, int count, ReadOnlySpan<byte> flips)
    {
        var shifted = Scratch.Ensure(ref _shifted, 2 * count);
        ulong s0 = _secret[0], s1 = _secret[1];
        for (int i = 0; i < count; i++)
        {
            ulong e = 0UL - (ulong)((flips[i >> 3] >> (i & 7)) & 1);
            shifted[2 * i] = _rows[2 * (offset + i)] ^ (s0 & e);
            shifted[2 * i + 1] = _rows[2 * (offset + i) + 1] ^ (s1 & e);
        }
        return shifted;
    }

    private readonly ref struct ChosenJob(RandomCotSenderBatch owner, int used, ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _m0 = m0, _m1 = m1;
        public int RequestBytes(int start, int count) => (count + 7) / 8;
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, 2 * bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply) =>
            owner._payloads.ChosenReply(owner.ShiftedRows(used + start, count, request), owner._secret,
                owner._firstIndex + (ulong)(used + start), _m0.Slice(start, count), _m1.Slice(start, count), bits, reply);
    }

    private readonly ref struct CorrelatedJob(RandomCotSenderBatch owner, int used, ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _delta = delta;
        private readonly Span<ulong> _x0 = x0;
        public int RequestBytes(int start, int count) => (count + 7) / 8;
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply) =>
            owner._payloads.CorrelatedReply(owner.ShiftedRows(used + start, count, request), owner._secret,
                owner._firstIndex + (ulong)(used + start), _delta.Slice(start, count), bits, _x0.Slice(start, count), reply);
    }
}
