using CoPriv.Protocols.Channels;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// The receiver's half of precomputed random correlated OTs (see <see cref="RandomCotSenderBatch"/>): random
/// choices c_i and rows t_i. Online, for wanted choices b_i it sends b_i ⊕ c_i and learns m_{b_i} (or
/// x0 + b_i·delta) and nothing else.
/// </summary>
public sealed class RandomCotReceiverBatch
{
    private readonly IMessageStream _stream;
    private readonly IknpPayloads _payloads;
    private readonly byte[] _choices;
    private readonly ulong[] _rows;
    private readonly ulong _firstIndex;
    private byte[] _request = [], _reply = [];
    private int _used;

    internal RandomCotReceiverBatch(IMessageStream stream, IknpPayloads payloads, byte[] choices, ulong[] rows, ulong firstIndex)
    {
        _stream = stream;
        _payloads = payloads;
        _choices = choices;
        _rows = rows;
        _firstIndex = firstIndex;
    }

    public int Count => _choices.Length;
    public int Remaining => Count - _used;

    /// <summary>The random choice bits fixed at pre-processing (for protocols that can use them directly).</summary>
    public ReadOnlySpan<byte> RandomChoices => _choices;

    /// <summary>Mirror of <see cref="RandomCotSenderBatch.SendChosen"/>: result[i] = m_{choices[i]}[i].</summary>
    public void ReceiveChosen(ReadOnlySpan<byte> choices, int bits, Span<ulong> result)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckChoiceBits(choices);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        int used = Take(choices.Length);
        var job = new ChosenJob(this, used, choices, bits, result);
        ChunkPipeline.RunReceiver(_stream, choices.Length, OtChunking.ChunkOts(2L * bits), ref job, ref _reply);
    }

    /// <summary>Mirror of <see cref="RandomCotSenderBatch.SendCorrelated"/>: result[i] = x0[i] + choices[i]·delta[i].</summary>
    public void ReceiveCorrelated(ReadOnlySpan<byte> choices, int bits, Span<ulong> result)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckChoiceBits(choices);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        int used = Take(choices.Length);
        var job = new CorrelatedJob(this, used, choices, bits, result);
        ChunkPipeline.RunReceiver(_stream, choices.Length, OtChunking.ChunkOts(bits), ref job, ref _reply);
    }

    private int Take(int count)
    {
        if (count > Remaining)
            throw new ArgumentException($"the batch has {Remaining} precomputed OTs left, {count} requested");
        int used = _used;
        _used += count;
        return used;
    }

    /// <summary>The flips e_i = b_i ⊕ c_i of a chunk, packed eight to a byte.</summary>
    private ReadOnlySpan<byte> Flips(int offset, ReadOnlySpan<byte> wanted)
    {
        int count = wanted.Length;
        var packed = Scratch.Ensure(ref _request, (count + 7) / 8);
        packed.Clear();
        for (int i = 0; i < count; i++)
            packed[i >> 3] |= (byte)((wanted[i] ^ _choices[offset + i]) << (i & 7));
        return packed;
    }

    private ReadOnlySpan<ulong> Rows(int offset, int count) => _rows.AsSpan(2 * offset, 2 * count);

    private readonly ref struct ChosenJob(RandomCotReceiverBatch owner, int used, ReadOnlySpan<byte> choices, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner.Flips(used + start, _choices.Slice(start, count));
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, 2 * bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.ChosenFinish(owner.Rows(used + start, count), owner._firstIndex + (ulong)(used + start),
                _choices.Slice(start, count), bits, reply, _result.Slice(start, count));
    }

    private readonly ref struct CorrelatedJob(RandomCotReceiverBatch owner, int used, ReadOnlySpan<byte> choices, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner.Flips(used + start, _choices.Slice(start, count));
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.CorrelatedFinish(owner.Rows(used + start, count), owner._firstIndex + (ulong)(used + start),
                _choices.Slice(start, count), bits, reply, _result.Slice(start, count));
    }
}
