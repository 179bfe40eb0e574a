using System.Runtime.InteropServices;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// This party's end of one OT-extension instance in which it is the sender: IKNP (128 base OTs) for two-message
/// flavours, Kolesnikov–Kumaresan (256 base OTs) for 1-out-of-N. Runs on its own stream; one thread at a time.
/// The sender learns nothing about the receiver's choices.
/// </summary>
public sealed class OtExtensionSender : IOtSender
{
    private readonly IMessageStream _stream;
    private readonly TrafficMeter _meter;
    private readonly ExtensionSenderCore _iknp;
    private readonly IknpPayloads _payloads;
    private readonly KkPayloads _kkPayloads;
    private ExtensionSenderCore? _kk;
    private byte[] _request = [], _reply = [];
    private ulong[] _rows = [];

    internal OtExtensionSender(IMessageStream stream, TrafficMeter meter, ExtensionSenderCore iknp)
    {
        _stream = stream;
        _meter = meter;
        _iknp = iknp;
        var hash = new CorrelationRobustHash();
        _payloads = new IknpPayloads(hash);
        _kkPayloads = new KkPayloads(hash);
    }

    /// <summary>
    /// Random OTs with full 128-bit keys (k0, k1 = H(q), H(q ⊕ Δ)), 16 bytes per OT: the peer's base OTs for its
    /// Kolesnikov–Kumaresan sender, made by extension instead of public-key OTs.
    /// </summary>
    internal void SendRandomKeys(Span<byte> keys0, Span<byte> keys1)
    {
        ulong firstIndex = _iknp.NextIndex;
        var rows = new ulong[keys0.Length / 8];
        SendRandomCot(rows);
        _payloads.RandomKeys(rows, _iknp.Secret, firstIndex, MemoryMarshal.Cast<byte, ulong>(keys0), MemoryMarshal.Cast<byte, ulong>(keys1));
    }

    /// <summary>Completes the session setup with the 1-out-of-N (KK) half of this instance.</summary>
    internal void InstallOneOfN(ExtensionSenderCore kk) => _kk = kk;

    private ExtensionSenderCore Kk => _kk ?? throw new InvalidOperationException("1-out-of-N OT is not set up on this instance");

    /// <summary>The stream this instance talks on.</summary>
    public string StreamName => _stream.Name;

    /// <inheritdoc/>
    public UInt128 GlobalDelta => new(_iknp.Secret[1], _iknp.Secret[0]);

    public void SendChosen(ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(m1), m1.Length, m0.Length);
        var job = new ChosenJob(this, m0, m1, bits);
        RunIknp(m0.Length, 2L * bits, ref job);
    }

    public void SendCorrelated(ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(x0), x0.Length, delta.Length);
        var job = new CorrelatedJob(this, delta, bits, x0);
        RunIknp(delta.Length, bits, ref job);
    }

    public void SendCorrelatedPacked(ReadOnlySpan<ulong> delta, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> x0)
    {
        int maxBits = OtArguments.CheckPacked(valuesPerOt, bitsPerOt);
        OtArguments.CheckLength(nameof(delta), delta.Length, (long)bitsPerOt.Length * valuesPerOt);
        OtArguments.CheckLength(nameof(x0), x0.Length, (long)bitsPerOt.Length * valuesPerOt);
        var job = new PackedJob(this, delta, valuesPerOt, bitsPerOt, x0);
        RunIknp(bitsPerOt.Length, (long)valuesPerOt * maxBits, ref job);
    }

    public void SendRandom(Span<ulong> r0, Span<ulong> r1, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckLength(nameof(r1), r1.Length, r0.Length);
        var job = new RandomJob(this, r0, r1, bits);
        RunIknp(r0.Length, 0, ref job);
    }

    public void SendRandomCot(Span<ulong> x0Blocks)
    {
        if (x0Blocks.Length % 2 != 0)
            throw new ArgumentException($"random COT outputs are 128-bit blocks (pairs of ulongs); got {x0Blocks.Length} ulongs", nameof(x0Blocks));
        var job = new RowsJob(this, x0Blocks);
        RunIknp(x0Blocks.Length / 2, 0, ref job);
    }

    public RandomCotSenderBatch PrecomputeRandomCot(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rows = new ulong[2L * count];
        ulong firstIndex;
        using (_meter.InPhase(Phase.Preprocessing))
        {
            firstIndex = _iknp.NextIndex;
            SendRandomCot(rows);
        }
        return new RandomCotSenderBatch(_stream, _payloads, _iknp.Secret.ToArray(), rows, firstIndex);
    }

    public void SendOneOfN(ReadOnlySpan<ulong> messages, int n, int bits)
    {
        OtArguments.CheckBits(bits);
        OtArguments.CheckN(n);
        if (messages.Length % n != 0)
            throw new ArgumentException($"1-of-{n} OT needs {n} messages per OT; got {messages.Length} messages", nameof(messages));
        var job = new OneOfNJob(this, Kk, messages, n, bits);
        int count = messages.Length / n;
        ChunkPipeline.RunSender(_stream, count, OtChunking.ChunkOts((long)n * bits), ref job, ref _request, ref _reply);
    }

    private void RunIknp<TJob>(int n, long replyBitsPerOt, ref TJob job) where TJob : ISenderChunkJob, allows ref struct =>
        ChunkPipeline.RunSender(_stream, n, OtChunking.ChunkOts(replyBitsPerOt), ref job, ref _request, ref _reply);

    /// <summary>Extends the chunk from the receiver's rows; returns the q rows and their first index.</summary>
    private ReadOnlySpan<ulong> Extend(ExtensionSenderCore core, int count, ReadOnlySpan<byte> request, out ulong firstIndex)
    {
        var rows = Scratch.Ensure(ref _rows, ExtensionSenderCore.PaddedRows(count) * core.RowWords);
        firstIndex = core.Extend(count, MemoryMarshal.Cast<byte, ulong>(request), rows);
        return rows;
    }

    private static int IknpRequestBytes(int count) => 16 * count;

    private readonly ref struct ChosenJob(OtExtensionSender owner, ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _m0 = m0, _m1 = m1;
        public int RequestBytes(int start, int count) => IknpRequestBytes(count);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, 2 * bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner.Extend(owner._iknp, count, request, out ulong first);
            owner._payloads.ChosenReply(q, owner._iknp.Secret, first, _m0.Slice(start, count), _m1.Slice(start, count), bits, reply);
        }
    }

    private readonly ref struct CorrelatedJob(OtExtensionSender owner, ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _delta = delta;
        private readonly Span<ulong> _x0 = x0;
        public int RequestBytes(int start, int count) => IknpRequestBytes(count);
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes(count, bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner.Extend(owner._iknp, count, request, out ulong first);
            owner._payloads.CorrelatedReply(q, owner._iknp.Secret, first, _delta.Slice(start, count), bits, _x0.Slice(start, count), reply);
        }
    }

    private readonly ref struct PackedJob(OtExtensionSender owner, ReadOnlySpan<ulong> delta, int valuesPerOt,
        ReadOnlySpan<int> bitsPerOt, Span<ulong> x0) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _delta = delta;
        private readonly ReadOnlySpan<int> _bits = bitsPerOt;
        private readonly Span<ulong> _x0 = x0;
        public int RequestBytes(int start, int count) => IknpRequestBytes(count);
        public int ReplyBytes(int start, int count) =>
            checked((int)((IknpPayloads.PackedReplyBits(valuesPerOt, _bits.Slice(start, count)) + 7) / 8));
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner.Extend(owner._iknp, count, request, out ulong first);
            owner._payloads.PackedReply(q, owner._iknp.Secret, first, _delta.Slice(start * valuesPerOt, count * valuesPerOt),
                valuesPerOt, _bits.Slice(start, count), _x0.Slice(start * valuesPerOt, count * valuesPerOt), reply);
        }
    }

    private readonly ref struct RandomJob(OtExtensionSender owner, Span<ulong> r0, Span<ulong> r1, int bits) : ISenderChunkJob
    {
        private readonly Span<ulong> _r0 = r0, _r1 = r1;
        public int RequestBytes(int start, int count) => IknpRequestBytes(count);
        public int ReplyBytes(int start, int count) => 0;
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner.Extend(owner._iknp, count, request, out ulong first);
            owner._payloads.RandomPads(q, owner._iknp.Secret, first, bits, _r0.Slice(start, count), _r1.Slice(start, count));
        }
    }

    private readonly ref struct RowsJob(OtExtensionSender owner, Span<ulong> rows) : ISenderChunkJob
    {
        private readonly Span<ulong> _rows = rows;
        public int RequestBytes(int start, int count) => IknpRequestBytes(count);
        public int ReplyBytes(int start, int count) => 0;
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner.Extend(owner._iknp, count, request, out _);
            q[..(2 * count)].CopyTo(_rows.Slice(2 * start, 2 * count));
        }
    }

    private readonly ref struct OneOfNJob(OtExtensionSender owner, ExtensionSenderCore kk, ReadOnlySpan<ulong> messages, int n, int bits) : ISenderChunkJob
    {
        private readonly ReadOnlySpan<ulong> _messages = messages;
        public int RequestBytes(int start, int count) => 32 * count;
        public int ReplyBytes(int start, int count) => BitPacking.PackedBytes((long)count * n, bits);
        public void Respond(int start, int count, scoped ReadOnlySpan<byte> request, scoped Span<byte> reply)
        {
            var q = owner.Extend(kk, count, request, out ulong first);
            owner._kkPayloads.Reply(q, kk.Secret, first, _messages.Slice(start * n, count * n), n, bits, count, reply);
        }
    }
}
