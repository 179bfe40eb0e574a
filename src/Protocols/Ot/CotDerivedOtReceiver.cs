using System.Runtime.InteropServices;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// This party's end of one OT instance in which it is the receiver (mirror of <see cref="CotDerivedOtSender"/>):
/// every OT flavour, derived from the session backend's correlated OT (<see cref="ICotReceiver"/>). It learns the
/// chosen messages only. Runs on its own stream; one thread at a time.
/// </summary>
public sealed class CotDerivedOtReceiver : IOtReceiver
{
    private readonly IMessageStream _stream;
    private readonly TrafficMeter _meter;
    private readonly ICotReceiver _cot;
    private ICotReceiver? _oneOfN;
    private readonly AesPrg _prg;
    private readonly IknpPayloads _payloads;
    private readonly KkPayloads _kkPayloads;
    private readonly CotOneOfNPayloads? _cotOneOfN;
    private byte[] _reply = [];

    /// <param name="oneOfNFromCots">as <see cref="CotDerivedOtSender"/>'s: 1-out-of-N OT from the COTs of <paramref name="cot"/>.</param>
    internal CotDerivedOtReceiver(IMessageStream stream, TrafficMeter meter, ICotReceiver cot, AesPrg prg, bool oneOfNFromCots = false)
    {
        _stream = stream;
        _meter = meter;
        _cot = cot;
        _prg = prg;
        var hash = new CorrelationRobustHash();
        _payloads = new IknpPayloads(hash);
        _kkPayloads = new KkPayloads(hash);
        if (oneOfNFromCots) _cotOneOfN = new CotOneOfNPayloads(hash);
    }

    /// <summary>Mirror of <see cref="CotDerivedOtSender.SendRandomKeys"/>: random choices and the chosen 128-bit keys.</summary>
    internal void ReceiveRandomKeys(Span<byte> choices, Span<byte> keys)
    {
        ulong firstIndex = _cot.NextIndex;
        var rows = new ulong[2 * choices.Length];
        ReceiveRandomCot(choices, rows);
        _payloads.RandomKeyFinish(rows, firstIndex, MemoryMarshal.Cast<byte, ulong>(keys));
    }

    /// <summary>Completes the session setup with the 1-out-of-N (KK) half of this instance.</summary>
    internal void InstallOneOfN(ICotReceiver oneOfN) => _oneOfN = oneOfN;

    private ICotReceiver OneOfN => _oneOfN ?? throw new InvalidOperationException("1-out-of-N OT is not set up on this instance");

    /// <summary>The stream this instance talks on.</summary>
    public string StreamName => _stream.Name;

    public void ReceiveChosen(ReadOnlySpan<byte> choices, int bits, Span<ulong> result)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckChoiceBits(choices);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        var job = new ChosenJob(this, choices, bits, result);
        RunTwoMessage(choices.Length, 2L * bits, ref job);
    }

    public void ReceiveCorrelated(ReadOnlySpan<byte> choices, int bits, Span<ulong> result)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckChoiceBits(choices);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        var job = new CorrelatedJob(this, choices, bits, result);
        RunTwoMessage(choices.Length, bits, ref job);
    }

    public void ReceiveCorrelatedPacked(ReadOnlySpan<byte> choices, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> result)
    {
        int maxBits = OtArguments.CheckPacked(valuesPerOt, bitsPerOt);
        OtArguments.CheckChoiceBits(choices);
        OtArguments.CheckLength(nameof(bitsPerOt), bitsPerOt.Length, choices.Length);
        OtArguments.CheckLength(nameof(result), result.Length, (long)choices.Length * valuesPerOt);
        var job = new PackedJob(this, choices, valuesPerOt, bitsPerOt, result);
        RunTwoMessage(choices.Length, (long)valuesPerOt * maxBits, ref job);
    }

    public void ReceiveRandom(Span<byte> choices, Span<ulong> result, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(result), result.Length, choices.Length);
        if (!_cot.FreeRandomChoices) _prg.FillBits(choices);
        var job = new RandomJob(this, choices, bits, result);
        RunTwoMessage(choices.Length, 0, ref job);
    }

    public void ReceiveRandomCot(Span<byte> choices, Span<ulong> blocks)
    {
        OtArguments.CheckLength(nameof(blocks), blocks.Length, 2L * choices.Length);
        if (!_cot.FreeRandomChoices) _prg.FillBits(choices);
        var job = new RowsJob(this, choices, blocks);
        RunTwoMessage(choices.Length, 0, ref job);
    }

    /// <inheritdoc/>
    public void PrepareCots(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _cot.Prepare(count);
    }

    public RandomCotReceiverBatch PrecomputeRandomCot(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var choices = new byte[count];
        var rows = new ulong[2L * count];
        ulong firstIndex;
        using (_meter.InPhase(Phase.Preprocessing))
        {
            firstIndex = _cot.NextIndex;
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
        if (_cotOneOfN is not null)
        {
            var cotJob = new CotOneOfNJob(this, _cotOneOfN, choices, n, bits, result);
            ChunkPipeline.RunReceiver(_stream, choices.Length, OtChunking.ChunkOts((long)n * bits), ref cotJob, ref _reply);
            return;
        }
        var job = new OneOfNJob(this, OneOfN, choices, n, bits, result);
        ChunkPipeline.RunReceiver(_stream, choices.Length, OtChunking.ChunkOts((long)n * bits), ref job, ref _reply);
    }

    private void RunTwoMessage<TJob>(int n, long replyBitsPerOt, ref TJob job) where TJob : IReceiverChunkJob, allows ref struct =>
        ChunkPipeline.RunReceiver(_stream, n, OtChunking.ChunkOts(replyBitsPerOt), ref job, ref _reply);

    private readonly ref struct ChosenJob(CotDerivedOtReceiver owner, ReadOnlySpan<byte> choices, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner._cot.Correlate(_choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, 2 * bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.ChosenFinish(owner._cot.Rows(slot, out ulong first), first, _choices.Slice(start, count), bits, reply, _result.Slice(start, count));
    }

    private readonly ref struct CorrelatedJob(CotDerivedOtReceiver owner, ReadOnlySpan<byte> choices, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner._cot.Correlate(_choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.CorrelatedFinish(owner._cot.Rows(slot, out ulong first), first, _choices.Slice(start, count), bits, reply, _result.Slice(start, count));
    }

    private readonly ref struct PackedJob(CotDerivedOtReceiver owner, ReadOnlySpan<byte> choices, int valuesPerOt,
        ReadOnlySpan<int> bitsPerOt, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly ReadOnlySpan<int> _bits = bitsPerOt;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner._cot.Correlate(_choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) =>
            checked((int)((IknpPayloads.PackedReplyBits(valuesPerOt, _bits.Slice(start, count)) + 7) / 8));
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.PackedFinish(owner._cot.Rows(slot, out ulong first), first, _choices.Slice(start, count), valuesPerOt,
                _bits.Slice(start, count), reply, _result.Slice(start * valuesPerOt, count * valuesPerOt));
    }

    private readonly ref struct RandomJob(CotDerivedOtReceiver owner, Span<byte> choices, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly Span<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner._cot.CorrelateRandom(_choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => 0;
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._payloads.RandomFinish(owner._cot.Rows(slot, out ulong first), first, bits, _result.Slice(start, count));
    }

    private readonly ref struct RowsJob(CotDerivedOtReceiver owner, Span<byte> choices, Span<ulong> rows) : IReceiverChunkJob
    {
        private readonly Span<byte> _choices = choices;
        private readonly Span<ulong> _rows = rows;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => owner._cot.CorrelateRandom(_choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => 0;
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._cot.Rows(slot, out _)[..(2 * count)].CopyTo(_rows.Slice(2 * start, 2 * count));
    }

    private readonly ref struct CotOneOfNJob(CotDerivedOtReceiver owner, CotOneOfNPayloads payloads, ReadOnlySpan<byte> choices,
        int n, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) =>
            owner._cot.Correlate(payloads.ChoiceBits(_choices.Slice(start, count), OtArguments.DigitBits(n)), slot);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes((long)count * n, bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            payloads.Finish(owner._cot.Rows(slot, out ulong first), first, _choices.Slice(start, count), n, bits, reply, _result.Slice(start, count));
    }

    private readonly ref struct OneOfNJob(CotDerivedOtReceiver owner, ICotReceiver oneOfN, ReadOnlySpan<byte> choices, int n, int bits, Span<ulong> result) : IReceiverChunkJob
    {
        private readonly ReadOnlySpan<byte> _choices = choices;
        private readonly Span<ulong> _result = result;
        public ReadOnlySpan<byte> Request(int start, int count, int slot) => oneOfN.Correlate(_choices.Slice(start, count), slot);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes((long)count * n, bits);
        public void Finish(int start, int count, int slot, scoped ReadOnlySpan<byte> reply) =>
            owner._kkPayloads.Finish(oneOfN.Rows(slot, out ulong first), first, _choices.Slice(start, count), n, bits, reply, _result.Slice(start, count));
    }
}
