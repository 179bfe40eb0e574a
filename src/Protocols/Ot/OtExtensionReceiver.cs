using System.Runtime.InteropServices;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// This party's end of one OT-extension instance in which it is the receiver (mirror of
/// <see cref="OtExtensionSender"/>). It learns the chosen messages only. Runs on its own stream; one thread at a time.
/// </summary>
public sealed class OtExtensionReceiver : IOtReceiver
{
    private readonly IMessageStream _stream;
    private readonly TrafficMeter _meter;
    private readonly ExtensionReceiverCore _iknp;
    private ExtensionReceiverCore? _kk;
    private readonly AesPrg _prg;
    private readonly IknpPayloads _payloads;
    private readonly KkPayloads _kkPayloads;
    private readonly ulong[][] _slotRows = Enumerable.Repeat(Array.Empty<ulong>(), ChunkPipeline.Depth).ToArray();
    private readonly ulong[] _slotFirstIndex = new ulong[ChunkPipeline.Depth];
    private ulong[] _masks = [];
    private byte[] _reply = [];

    internal OtExtensionReceiver(IMessageStream stream, TrafficMeter meter, ExtensionReceiverCore iknp, AesPrg prg)
    {
        _stream = stream;
        _meter = meter;
        _iknp = iknp;
        _prg = prg;
        var hash = new CorrelationRobustHash();
        _payloads = new IknpPayloads(hash);
        _kkPayloads = new KkPayloads(hash);
    }

    /// <summary>Mirror of <see cref="OtExtensionSender.SendRandomKeys"/>: random choices and the chosen 128-bit keys.</summary>
    internal void ReceiveRandomKeys(Span<byte> choices, Span<byte> keys)
    {
        ulong firstIndex = _iknp.NextIndex;
        var rows = new ulong[2 * choices.Length];
        ReceiveRandomCot(choices, rows);
        _payloads.RandomKeyFinish(rows, firstIndex, MemoryMarshal.Cast<byte, ulong>(keys));
    }

    /// <summary>Completes the session setup with the 1-out-of-N (KK) half of this instance.</summary>
    internal void InstallOneOfN(ExtensionReceiverCore kk) => _kk = kk;

    private ExtensionReceiverCore Kk => _kk ?? throw new InvalidOperationException("1-out-of-N OT is not set up on this instance");

    /// <summary>The stream this instance talks on.</summary>
    public string StreamName => _stream.Name;

    public void ReceiveChosen(ReadOnlySpan<byte> choices, int bits, Span<ulong> result)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckChoiceBits(choices);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        var job = new ChosenJob(this, choices, bits, result);
        RunIknp(choices.Length, 2L * bits, ref job);
    }

    public void ReceiveCorrelated(ReadOnlySpan<byte> choices, int bits, Span<ulong> result)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckChoiceBits(choices);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        var job = new CorrelatedJob(this, choices, bits, result);
        RunIknp(choices.Length, bits, ref job);
    }

    public void ReceiveCorrelatedPacked(ReadOnlySpan<byte> choices, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> result)
    {
        int maxBits = OtArguments.CheckPacked(valuesPerOt, bitsPerOt);
        OtArguments.CheckChoiceBits(choices);
        OtArguments.CheckLength(nameof(bitsPerOt), bitsPerOt.Length, choices.Length);
        OtArguments.CheckLength(nameof(result), result.Length, (long)choices.Length * valuesPerOt);
        var job = new PackedJob(this, choices, valuesPerOt, bitsPerOt, result);
        RunIknp(choices.Length, (long)valuesPerOt * maxBits, ref job);
    }

    public void ReceiveRandom(Span<byte> choices, Span<ulong> result, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        _prg.FillBits(choices);
        var job = new RandomJob(this, choices, bits, result);
        RunIknp(choices.Length, 0, ref job);
    }

    public void ReceiveRandomCot(Span<byte> choices, Span<ulong> blocks)
    {
        OtArguments.CheckLength(nameof(blocks), blocks.Length, 2L * choices.Length);
        _prg.FillBits(choices);
        var job = new RowsJob(this, choices, blocks);
        RunIknp(choices.Length, 0, ref job);
    }

    public RandomCotReceiverBatch PrecomputeRandomCot(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var choices = new byte[count];
        var rows = new ulong[2L * count];
        ulong firstIndex;
        using (_meter.InPhase(Phase.Preprocessing))
        {
            firstIndex = _iknp.NextIndex;
            ReceiveRandomCot(choices, rows);
        }
        return new RandomCotReceiverBatch(_stream, _payloads, choices, rows, firstIndex);
    }

    public void ReceiveOneOfN(ReadOnlySpan<byte> choices, int n, int bits, Span<ulong> result)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckN(n);
        OtArguments.CheckChoiceDigits(choices, n);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        var job = new OneOfNJob(this, Kk, choices, n, bits, result);
        ChunkPipeline.RunReceiver(_stream, choices.Length, OtChunking.ChunkOts((long)n * bits), ref job, ref _reply);
    }

    private void RunIknp<TJob>(int n, long replyBitsPerOt, ref TJob job) where TJob : IReceiverChunkJob, allows ref struct =>
        ChunkPipeline.RunReceiver(_stream, n, OtChunking.ChunkOts(replyBitsPerOt), ref job, ref _reply);

    /// <summary>
    /// Extends a chunk into state slot <paramref name="slot"/> (rows t kept until the reply arrives) and returns
    /// the rows u_i = t_i ⊕ t'_i ⊕ code(choice_i) to send.
    /// </summary>
    private ReadOnlySpan<byte> Extend(ExtensionReceiverCore core, ReadOnlySpan<byte> choices, int slot)
    {
        int count = choices.Length;
        int words = core.RowWords;
        int padded = ExtensionSenderCore.PaddedRows(count);
        var t = Scratch.Ensure(ref _slotRows[slot], padded * words);
        var u = Scratch.Ensure(ref _masks, padded * words);
        _slotFirstIndex[slot] = core.Extend(count, t, u);
        if (words == 2)
        {
            for (int i = 0; i < count; i++)
            {
                ulong all = 0UL - choices[i];
                u[2 * i] ^= all;
                u[2 * i + 1] ^= all;
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                var code = WalshHadamardCode.Codeword(choices[i]);
                var row = u.Slice(4 * i, 4);
                row[0] ^= code[0];
                row[1] ^= code[1];
                row[2] ^= code[2];
                row[3] ^= code[3];
            }
        }
        return MemoryMarshal.AsBytes(u[..(count * words)]);
    }

    private ReadOnlySpan<ulong> Rows(int slot) => _slotRows[slot];

    private readonly ref struct ChosenJob(OtExtensionReceiver owner, ReadOnlySpan<byte> choices, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner.Extend(owner._iknp, _choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, 2 * bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.ChosenFinish(owner.Rows(slot), owner._slotFirstIndex[slot], _choices.Slice(start, count), bits, reply, _result.Slice(start, count));
    }

    private readonly ref struct CorrelatedJob(OtExtensionReceiver owner, ReadOnlySpan<byte> choices, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner.Extend(owner._iknp, _choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.CorrelatedFinish(owner.Rows(slot), owner._slotFirstIndex[slot], _choices.Slice(start, count), bits, reply, _result.Slice(start, count));
    }

    private readonly ref struct PackedJob(OtExtensionReceiver owner, ReadOnlySpan<byte> choices, int valuesPerOt,
        ReadOnlySpan<int> bitsPerOt, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly ReadOnlySpan<int> _bits = bitsPerOt;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner.Extend(owner._iknp, _choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) =>
            checked((int)((IknpPayloads.PackedReplyBits(valuesPerOt, _bits.Slice(start, count)) + 7) / 8));
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.PackedFinish(owner.Rows(slot), owner._slotFirstIndex[slot], _choices.Slice(start, count), valuesPerOt,
                _bits.Slice(start, count), reply, _result.Slice(start * valuesPerOt, count * valuesPerOt));
    }

    private readonly ref struct RandomJob(OtExtensionReceiver owner, ReadOnlySpan<byte> choices, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner.Extend(owner._iknp, _choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => 0;
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.RandomFinish(owner.Rows(slot), owner._slotFirstIndex[slot], bits, _result.Slice(start, count));
    }

    private readonly ref struct RowsJob(OtExtensionReceiver owner, ReadOnlySpan<byte> choices, Span<ulong> rows) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _rows = rows;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner.Extend(owner._iknp, _choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => 0;
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner.Rows(slot)[..(2 * count)].CopyTo(_rows.Slice(2 * start, 2 * count));
    }

    private readonly ref struct OneOfNJob(OtExtensionReceiver owner, ExtensionReceiverCore kk, ReadOnlySpan<byte> choices, int n, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner.Extend(kk, _choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes((long)count * n, bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._kkPayloads.Finish(owner.Rows(slot), owner._slotFirstIndex[slot], _choices.Slice(start, count), n, bits, reply, _result.Slice(start, count));
    }
}
