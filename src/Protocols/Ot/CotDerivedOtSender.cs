using System.Runtime.InteropServices;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// This party's end of one OT instance in which it is the sender: every OT flavour, derived from the session
/// backend's two-message correlated OT (<see cref="ICotSender"/>; IKNP today) and, for 1-out-of-N, from a
/// Kolesnikov–Kumaresan source whose base OTs are random OTs of that backend. Runs on its own stream; one thread at
/// a time. The sender learns nothing about the receiver's choices.
/// </summary>
public sealed class CotDerivedOtSender : IOtSender
{
    private readonly IMessageStream _stream;
    private readonly TrafficMeter _meter;
    private readonly ICotSender _cot;
    private readonly IknpPayloads _payloads;
    private readonly KkPayloads _kkPayloads;
    private readonly CotOneOfNPayloads? _cotOneOfN;
    private ICotSender? _oneOfN;
    private byte[] _request = [], _reply = [];

    /// <param name="oneOfNFromCots">1-out-of-N OT from ⌈log₂ N⌉ of <paramref name="cot"/>'s COTs per OT
    /// (<see cref="CotOneOfNPayloads"/>) instead of an installed Kolesnikov–Kumaresan source.</param>
    internal CotDerivedOtSender(IMessageStream stream, TrafficMeter meter, ICotSender cot, bool oneOfNFromCots = false)
    {
        _stream = stream;
        _meter = meter;
        _cot = cot;
        var hash = new CorrelationRobustHash();
        _payloads = new IknpPayloads(hash);
        _kkPayloads = new KkPayloads(hash);
        if (oneOfNFromCots) _cotOneOfN = new CotOneOfNPayloads(hash);
    }

    /// <summary>
    /// Random OTs with full 128-bit keys (k0, k1 = H(q), H(q ⊕ Δ)), one COT row per OT: the peer's base OTs for its
    /// Kolesnikov–Kumaresan sender, made from the backend's COT instead of public-key OTs.
    /// </summary>
    internal void SendRandomKeys(Span<byte> keys0, Span<byte> keys1)
    {
        ulong firstIndex = _cot.NextIndex;
        var rows = new ulong[keys0.Length / 8];
        SendRandomCot(rows);
        _payloads.RandomKeys(rows, _cot.Delta, firstIndex, MemoryMarshal.Cast<byte, ulong>(keys0), MemoryMarshal.Cast<byte, ulong>(keys1));
    }

    /// <summary>Completes the session setup with the 1-out-of-N (KK) half of this instance.</summary>
    internal void InstallOneOfN(ICotSender oneOfN) => _oneOfN = oneOfN;

    private ICotSender OneOfN => _oneOfN ?? throw new InvalidOperationException("1-out-of-N OT is not set up on this instance");

    /// <summary>The stream this instance talks on.</summary>
    public string StreamName => _stream.Name;

    /// <inheritdoc/>
    public UInt128 GlobalDelta => new(_cot.Delta[1], _cot.Delta[0]);

    public void SendChosen(ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(m1), m1.Length, m0.Length);
        var job = new ChosenJob(this, m0, m1, bits);
        RunTwoMessage(m0.Length, 2L * bits, ref job);
    }

    public void SendCorrelated(ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(x0), x0.Length, delta.Length);
        var job = new CorrelatedJob(this, delta, bits, x0);
        RunTwoMessage(delta.Length, bits, ref job);
    }

    public void SendCorrelatedPacked(ReadOnlySpan<ulong> delta, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> x0)
    {
        int maxBits = OtArguments.CheckPacked(valuesPerOt, bitsPerOt);
        OtArguments.CheckLength(nameof(delta), delta.Length, (long)bitsPerOt.Length * valuesPerOt);
        OtArguments.CheckLength(nameof(x0), x0.Length, (long)bitsPerOt.Length * valuesPerOt);
        var job = new PackedJob(this, delta, valuesPerOt, bitsPerOt, x0);
        RunTwoMessage(bitsPerOt.Length, (long)valuesPerOt * maxBits, ref job);
    }

    public void SendRandom(Span<ulong> r0, Span<ulong> r1, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(r1), r1.Length, r0.Length);
        var job = new RandomJob(this, r0, r1, bits);
        RunTwoMessage(r0.Length, 0, ref job);
    }

    public void SendRandomCot(Span<ulong> x0Blocks)
    {
        if (x0Blocks.Length % 2 != 0)
            throw new ArgumentException($"random COT outputs are 128-bit blocks (pairs of ulongs); got {x0Blocks.Length} ulongs", nameof(x0Blocks));
        var job = new RowsJob(this, x0Blocks);
        RunTwoMessage(x0Blocks.Length / 2, 0, ref job);
    }

    /// <inheritdoc/>
    public void PrepareCots(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _cot.Prepare(count);
    }

    public RandomCotSenderBatch PrecomputeRandomCot(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rows = new ulong[2L * count];
        ulong firstIndex;
        using (_meter.InPhase(Phase.Preprocessing))
        {
            firstIndex = _cot.NextIndex;
            SendRandomCot(rows);
        }
        return new RandomCotSenderBatch(_stream, _payloads, _cot.Delta.ToArray(), rows, firstIndex);
    }

    public void SendOneOfN(ReadOnlySpan<ulong> messages, int n, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckN(n);
        if (messages.Length % n != 0)
            throw new ArgumentException($"1-of-{n} OT needs {n} messages per OT; got {messages.Length} messages", nameof(messages));
        int count = messages.Length / n;
        if (_cotOneOfN is not null)
        {
            int digitBits = OtArguments.DigitBits(n);
            _meter.RecordCots((long)count * digitBits);
            var cotJob = new CotOneOfNJob(this, _cotOneOfN, messages, n, bits, digitBits);
            ChunkPipeline.RunSender(_stream, count, OtChunking.ChunkOts((long)n * bits), ref cotJob, ref _request, ref _reply);
            return;
        }
        var job = new OneOfNJob(this, OneOfN, messages, n, bits);
        ChunkPipeline.RunSender(_stream, count, OtChunking.ChunkOts((long)n * bits), ref job, ref _request, ref _reply);
    }

    private void RunTwoMessage<TJob>(int n, long replyBitsPerOt, ref TJob job) where TJob : ISenderChunkJob, allows ref struct
    {
        _meter.RecordCots(n);
        ChunkPipeline.RunSender(_stream, n, OtChunking.ChunkOts(replyBitsPerOt), ref job, ref _request, ref _reply);
    }

    private readonly ref struct ChosenJob(CotDerivedOtSender owner, ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _m0 = m0, _m1 = m1;
        public int RequestBytes(int start, int count) => owner._cot.RequestBytes(count);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, 2 * bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner._cot.Correlate(count, request, out ulong first);
            owner._payloads.ChosenReply(q, owner._cot.Delta, first, _m0.Slice(start, count), _m1.Slice(start, count), bits, reply);
        }
    }

    private readonly ref struct CorrelatedJob(CotDerivedOtSender owner, ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _delta = delta;
        private readonly Span<ulong> _x0 = x0;
        public int RequestBytes(int start, int count) => owner._cot.RequestBytes(count);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner._cot.Correlate(count, request, out ulong first);
            owner._payloads.CorrelatedReply(q, owner._cot.Delta, first, _delta.Slice(start, count), bits, _x0.Slice(start, count), reply);
        }
    }

    private readonly ref struct PackedJob(CotDerivedOtSender owner, ReadOnlySpan<ulong> delta, int valuesPerOt,
        ReadOnlySpan<int> bitsPerOt, Span<ulong> x0) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _delta = delta;
        private readonly ReadOnlySpan<int> _bits = bitsPerOt;
        private readonly Span<ulong> _x0 = x0;
        public int RequestBytes(int start, int count) => owner._cot.RequestBytes(count);
        public int ReplyBytes(int start, int count) =>
            checked((int)((IknpPayloads.PackedReplyBits(valuesPerOt, _bits.Slice(start, count)) + 7) / 8));
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner._cot.Correlate(count, request, out ulong first);
            owner._payloads.PackedReply(q, owner._cot.Delta, first, _delta.Slice(start * valuesPerOt, count * valuesPerOt),
                valuesPerOt, _bits.Slice(start, count), _x0.Slice(start * valuesPerOt, count * valuesPerOt), reply);
        }
    }

    private readonly ref struct RandomJob(CotDerivedOtSender owner, Span<ulong> r0, Span<ulong> r1, int bits) : ISenderChunkJob
    {
        private readonly Span<ulong> _r0 = r0, _r1 = r1;
        public int RequestBytes(int start, int count) => owner._cot.RandomRequestBytes(count);
        public int ReplyBytes(int start, int count) => 0;
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner._cot.Correlate(count, request, out ulong first);
            owner._payloads.RandomPads(q, owner._cot.Delta, first, bits, _r0.Slice(start, count), _r1.Slice(start, count));
        }
    }

    private readonly ref struct RowsJob(CotDerivedOtSender owner, Span<ulong> rows) : ISenderChunkJob
    {
        private readonly Span<ulong> _rows = rows;
        public int RequestBytes(int start, int count) => owner._cot.RandomRequestBytes(count);
        public int ReplyBytes(int start, int count) => 0;
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner._cot.Correlate(count, request, out _);
            q[..(2 * count)].CopyTo(_rows.Slice(2 * start, 2 * count));
        }
    }

    private readonly ref struct CotOneOfNJob(CotDerivedOtSender owner, CotOneOfNPayloads payloads, ReadOnlySpan<ulong> messages,
        int n, int bits, int digitBits) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _messages = messages;
        public int RequestBytes(int start, int count) => owner._cot.RequestBytes(count * digitBits);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes((long)count * n, bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner._cot.Correlate(count * digitBits, request, out ulong first);
            payloads.Reply(q, owner._cot.Delta, first, _messages.Slice(start * n, count * n), n, bits, count, reply);
        }
    }

    private readonly ref struct OneOfNJob(CotDerivedOtSender owner, ICotSender oneOfN, ReadOnlySpan<ulong> messages, int n, int bits) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _messages = messages;
        public int RequestBytes(int start, int count) => oneOfN.RequestBytes(count);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes((long)count * n, bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = oneOfN.Correlate(count, request, out ulong first);
            owner._kkPayloads.Reply(q, oneOfN.Delta, first, _messages.Slice(start * n, count * n), n, bits, count, reply);
        }
    }
}
