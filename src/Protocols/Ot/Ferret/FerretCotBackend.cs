using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// Ferret as a session's COT backend. Setup: IKNP (<see cref="IknpCotBackend"/>) in both directions, whose random
/// COTs fill each direction's Ferret setup reserve (IKNP's Δ becomes Ferret's); then each party, as the sender of its
/// instance, runs the setup iteration and as many main iterations as keep <see cref="LowWater"/> COTs buffered. After
/// that every OT takes one random Ferret COT and one bit on the wire: the receiver sends c ⊕ r (its choice against
/// the random COT's), and the sender adds Δ to the rows whose bit is set, so the receiver's row is q ⊕ c·Δ for its
/// own c. 1-out-of-N OT takes ⌈log₂ N⌉ such COTs per OT (<see cref="CotOneOfNPayloads"/>) instead of a
/// Kolesnikov–Kumaresan row.
/// <para>
/// The sender of an instance runs its next iterations as soon as fewer than <see cref="LowWater"/> COTs are left after
/// a chunk, and sends each iteration's message (before its code, the larger part of the work) on its own stream
/// ("ot/&lt;role&gt;-sends/ferret"); the receiver checks the same count before its next chunk, so it waits only for
/// the sender's trees and both codes run at once (a chunk never takes more than <see cref="LowWater"/> COTs, so the
/// sender's top-up after the chunk before always covers it). Those messages are booked as setup
/// traffic in scope ("session", "cot-generation"): they depend on no input and no layer, only on how many COTs the
/// session has taken (<see cref="CotBatching"/>). Semi-honest, like the rest of the project.
/// </para>
/// </summary>
internal sealed class FerretCotBackend : ICotBackend
{
    /// <summary>The most COTs one chunk of a call takes (a chunk of 1-out-of-256 OTs), so the most a receiver needs at once.</summary>
    public const int LowWater = OtChunking.MaxChunkOts * 8;

    /// <summary>The most COTs a party prepares ahead per instance (<see cref="ICotSender.Prepare"/>): <see cref="OtSession.MaxPreparedCots"/>.</summary>
    public const int MaxPrepared = OtSession.MaxPreparedCots;

    /// <summary>The scope of the main iterations that run after the setup.</summary>
    public const string GenerationOperator = "cot-generation";

    /// <summary>emp-ot's <c>ferret_b13</c> parameters (128-bit security).</summary>
    public static readonly FerretCotBackend Secure = new(FerretParameters.Setup128, FerretParameters.Main128, wireVersion: 2);

    /// <summary>The small insecure parameters of the unit tests (a session makes and uses several batches quickly).</summary>
    public static readonly FerretCotBackend Test = new(FerretParameters.TestSetup, FerretParameters.TestMain, wireVersion: 0x82);

    private readonly FerretParameters _setup, _main;
    private readonly int _parallelism;

    private FerretCotBackend(FerretParameters setup, FerretParameters main, byte wireVersion, int parallelism = 0)
    {
        _parallelism = parallelism;
        setup.Validate(main);
        main.Validate(main);
        _setup = setup;
        _main = main;
        WireVersion = wireVersion;
        long perBatch = FerretCosts.MainOutputs(main);
        long setupOutputs = FerretCosts.SetupOutputs(setup, main);
        long setupBatches = Math.Max(0, (LowWater - setupOutputs + perBatch - 1) / perBatch);
        var iknp = IknpCotBackend.Instance.Costs;
        Costs = new OtBackendCosts(
            TwoMessageRequestBits: 1,
            OneOfNRequestBits: 0,
            OneOfNFromCots: true,
            FreeRandomChoices: true,
            // IKNP's public-key base OTs (no KK rows), the bootstrap COTs' rows this party sends as receiver, its
            // setup iteration and first main ones as sender, and the wire version.
            SetupBytesPerParty: ChouOrlandiBaseOt.PointBytes * (1L + IknpCotBackend.BaseOts)
                + (long)IknpCotBackend.RowBytes * setup.Reserve
                + setup.SenderBytesPerIteration + setupBatches * main.SenderBytesPerIteration + 1,
            // Per party: base-OT point, answers, bootstrap requests, the first Ferret message, the version byte.
            SetupRounds: 10,
            Batching: new CotBatching(setupOutputs + setupBatches * perBatch, perBatch, main.SenderBytesPerIteration, LowWater));
    }

    /// <summary>The same backend with its iterations on at most <paramref name="threads"/> threads per party (0: all cores).</summary>
    public FerretCotBackend WithParallelism(int threads) => new(_setup, _main, WireVersion, threads);

    public byte WireVersion { get; }

    public OtBackendCosts Costs { get; }

    /// <summary>The stream on which <paramref name="sender"/> sends its instance's Ferret messages.</summary>
    public static string GenerationStream(PartyRole sender) => OtSession.StreamName(sender) + "/ferret";

    public (ICotSender Sender, ICotReceiver Receiver) Establish(IChannel channel, IMessageStream sendStream,
        IMessageStream receiveStream, AesPrg prg)
    {
        var (iknpSender, iknpReceiver) = IknpCotBackend.Instance.Establish(channel, sendStream, receiveStream, prg);
        var bootSender = new CotDerivedOtSender(sendStream, channel.Meter, iknpSender);
        var bootReceiver = new CotDerivedOtReceiver(receiveStream, channel.Meter, iknpReceiver, prg.Fork());

        // The receiving side first: its requests leave before this party waits for the peer's, and the peer's setup
        // message is read only after this party has sent its own.
        var choices = new byte[_setup.Reserve];
        var receiverRows = new ulong[2 * _setup.Reserve];
        bootReceiver.ReceiveRandomCot(choices, receiverRows);
        var senderRows = new ulong[2 * _setup.Reserve];
        bootSender.SendRandomCot(senderRows);

        var sender = new FerretCotSender(channel.Stream(GenerationStream(channel.Role)), bootSender.GlobalDelta, senderRows,
            prg.Fork(), _setup, _main, _parallelism);
        sender.EnsureBuffered(LowWater);
        var receiver = new FerretCotReceiver(channel.Stream(GenerationStream(channel.Role.Peer())), receiverRows,
            _setup, _main, _parallelism);
        // The peer's sender ran its first main iterations in its setup: read them here too, so that the setup is
        // whole on both sides and no layer pays for it.
        receiver.EnsureBuffered(LowWater);
        return (new SenderSource(sender, channel.Meter), new ReceiverSource(receiver, channel.Meter));
    }

    /// <summary>
    /// The buffer level at which the next <paramref name="count"/> COTs are taken without an iteration: the calls
    /// top up whenever fewer than <see cref="LowWater"/> are left, so LowWater must still be there after them.
    /// </summary>
    private static int PreparedLevel(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > MaxPrepared)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"a Ferret instance prepares at most {MaxPrepared:N0} COTs ahead; prepare fewer, or let the calls make them as they go");
        return count + LowWater;
    }

    /// <summary>
    /// Runs the generator's iterations until <paramref name="level"/> COTs are buffered, booked as setup traffic in
    /// scope ("session", <see cref="GenerationOperator"/>); nothing when they already are.
    /// </summary>
    private static void TopUp<T>(T ferret, TrafficMeter meter, int level) where T : IFerretGenerator
    {
        if (ferret.Buffered >= level) return;
        using var outer = meter.Enter("session", GenerationOperator);
        using var inner = meter.InPhase(Phase.Setup);
        ferret.EnsureBuffered(level);
    }


    /// <summary>The sender's half: random Ferret COTs turned into chosen-choice ones by the receiver's bits.</summary>
    private sealed class SenderSource(FerretCotSender ferret, TrafficMeter meter) : ICotSender
    {
        private readonly ulong[] _delta = [(ulong)ferret.Delta, (ulong)(ferret.Delta >> 64)];
        private ulong[] _rows = [];
        private ulong _next;

        public int RowWords => 2;
        public ReadOnlySpan<ulong> Delta => _delta;
        public ulong NextIndex => _next;

        public int RequestBytes(int count) => (count + 7) / 8;

        // Random OTs take the COTs' own random choices: nothing to send.
        public int RandomRequestBytes(int count) => 0;

        public ReadOnlySpan<ulong> Correlate(int count, ReadOnlySpan<byte> request, out ulong firstIndex)
        {
            var rows = Scratch.Ensure(ref _rows, 2 * count);
            ferret.Next(rows);
            ulong d0 = _delta[0], d1 = _delta[1];
            // An empty request is a random OT's: the choices stay the COTs' own.
            if (request.Length > 0)
                for (int i = 0; i < count; i++)
                {
                    // Branch-free: all ones where the receiver's choice differs from the random COT's.
                    ulong flip = 0UL - (ulong)((request[i >> 3] >> (i & 7)) & 1);
                    rows[2 * i] ^= d0 & flip;
                    rows[2 * i + 1] ^= d1 & flip;
                }
            firstIndex = _next;
            _next += (ulong)count;
            TopUp(ferret, meter, LowWater);
            return rows;
        }

        public void Prepare(int count) => TopUp(ferret, meter, PreparedLevel(count));
    }

    /// <summary>The receiver's half: per chunk, random Ferret COTs and the bits c ⊕ r that fix their choices.</summary>
    private sealed class ReceiverSource(FerretCotReceiver ferret, TrafficMeter meter) : ICotReceiver
    {
        private readonly ulong[][] _slots = new ulong[ChunkPipeline.Depth][];
        private readonly int[] _counts = new int[ChunkPipeline.Depth];
        private readonly ulong[] _firsts = new ulong[ChunkPipeline.Depth];
        private byte[] _random = [], _request = [];
        private ulong _next;

        public int RowWords => 2;
        public ulong NextIndex => _next;
        public bool FreeRandomChoices => true;

        public ReadOnlySpan<byte> CorrelateRandom(Span<byte> choices, int slot)
        {
            Take(choices, slot);
            return [];
        }

        public ReadOnlySpan<byte> Correlate(ReadOnlySpan<byte> choices, int slot)
        {
            int count = choices.Length;
            var random = Scratch.Ensure(ref _random, count);
            Take(random, slot);
            var request = Scratch.Ensure(ref _request, (count + 7) / 8);
            request.Clear();
            for (int i = 0; i < count; i++) request[i >> 3] |= (byte)(((choices[i] ^ random[i]) & 1) << (i & 7));
            return request;
        }

        /// <summary>The next random COTs into <paramref name="slot"/>: their choices into <paramref name="choices"/>.</summary>
        private void Take(Span<byte> choices, int slot)
        {
            int count = choices.Length;
            _slots[slot] ??= [];
            var rows = Scratch.Ensure(ref _slots[slot], 2 * count);
            // The sender topped up after the request before this one (already sent) when fewer than LowWater were
            // left; do the same here, at the same point of the sequence, so that the two iterations' codes run at
            // the same time instead of this one waiting until it runs dry.
            TopUp(ferret, meter, LowWater);
            ferret.Next(choices, rows);
            _counts[slot] = count;
            _firsts[slot] = _next;
            _next += (ulong)count;
        }

        public void Prepare(int count) => TopUp(ferret, meter, PreparedLevel(count));

        public ReadOnlySpan<ulong> Rows(int slot, out ulong firstIndex)
        {
            firstIndex = _firsts[slot];
            return _slots[slot].AsSpan(0, 2 * _counts[slot]);
        }
    }
}
