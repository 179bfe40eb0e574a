using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// The COT sender of Ferret (Yang, Weng, Lan, Zhang, Wang, CCS 2020), semi-honest, primal LPN with regular noise:
/// a generator of random COTs with a fixed global Δ. Each iteration turns <see cref="FerretParameters.Reserve"/>
/// random COTs into n: k of them are expanded by the public <see cref="LocalLinearCode"/>, T·h drive the
/// <see cref="RegularMultiPointCot"/> that adds the noise; the first <see cref="FerretParameters.Reserve"/> outputs
/// of an iteration are kept for the next one, the rest are handed out by <see cref="Next"/>. The first iteration
/// (with the setup set) runs on COTs from another source — IKNP, whose Δ becomes Ferret's, see
/// <see cref="Bootstrap"/> — at construction; main iterations run when <see cref="Next"/> runs out.
/// <para>
/// The sender holds Δ and rows q_i; the peer's <see cref="FerretCotReceiver"/> holds random c_i and q_i ⊕ c_i·Δ.
/// Per iteration the sender sends one message of <see cref="FerretParameters.SenderBytesPerIteration"/> bytes on
/// its stream and receives nothing; it learns nothing about the choices.
/// </para>
/// One thread at a time; the heavy loops use up to <c>parallelism</c> threads.
/// </summary>
public sealed class FerretCotSender : IFerretGenerator
{
    /// <summary>The high word of the hash tweak of the level OTs, apart from IKNP's (whose counters are small).</summary>
    internal const ulong LevelHashDomain = 0x4665_7272_6574_0000UL;

    private readonly IMessageStream _stream;
    private readonly AesPrg _prg;
    private readonly FerretParameters _main;
    private readonly LocalLinearCode _mainCode;
    private readonly int _parallelism;
    private readonly Vector128<ulong> _delta;
    private readonly CorrelationRobustHash _hash = new();
    private readonly FerretBuffer _buffer = new();
    private readonly Action _iterateMain;
    private Vector128<ulong>[] _reserve, _pad0 = [], _pad1 = [], _message = [], _seeds = [];
    private ulong _levelIndex;

    /// <param name="stream">the stream on which this party sends the COTs' messages (the receiver reads it).</param>
    /// <param name="delta">Δ, the correlation of <paramref name="setupReserve"/> and of every output; its lowest bit must be 1.</param>
    /// <param name="setupReserve">the sender rows of <paramref name="setup"/>.Reserve random COTs with Δ (pairs of ulongs).</param>
    /// <param name="prg">this party's randomness (the GGM seeds).</param>
    /// <param name="setup">the first iteration's parameters.</param>
    /// <param name="main">every later iteration's parameters.</param>
    /// <param name="parallelism">threads for the tree expansion and the code.</param>
    public FerretCotSender(IMessageStream stream, UInt128 delta, ReadOnlySpan<ulong> setupReserve, AesPrg prg,
        FerretParameters setup, FerretParameters main, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(prg);
        setup.Validate(main);
        main.Validate(main);
        if (setupReserve.Length != 2 * setup.Reserve)
            throw new ArgumentException($"the setup iteration needs {setup.Reserve} COTs ({2 * setup.Reserve} ulongs), got {setupReserve.Length} ulongs");
        _stream = stream;
        _prg = prg;
        _main = main;
        _mainCode = new LocalLinearCode(main.CodeInputs, main.Outputs, LocalLinearCode.PublicSeed);
        _iterateMain = () => Iterate(_main, _mainCode);
        _parallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount;
        if ((delta & 1) == 0)
            throw new ArgumentException("Ferret's Δ must have its lowest bit set (the receiver reads its choices there)", nameof(delta));
        _delta = Vector128.Create((ulong)delta, (ulong)(delta >> 64));
        _reserve = new Vector128<ulong>[Math.Max(setup.Reserve, main.Reserve)];
        MemoryMarshal.Cast<ulong, Vector128<ulong>>(setupReserve).CopyTo(_reserve);
        // Even rows: q ⊕ lsb(q)·Δ. The receiver's row stays, its choice becomes its row's lowest bit (c ⊕ lsb(q),
        // still uniform and unknown here).
        for (int i = 0; i < setup.Reserve; i++)
            if ((_reserve[i].GetElement(0) & 1) != 0) _reserve[i] ^= _delta;
        Iterate(setup, new LocalLinearCode(setup.CodeInputs, setup.Outputs, LocalLinearCode.PublicSeed));
    }

    /// <summary>
    /// Runs the setup iteration on <paramref name="setup"/>.Reserve random COTs of <paramref name="bootstrap"/>
    /// (IKNP in a session) and takes its Δ. The peer calls <see cref="FerretCotReceiver.Bootstrap"/> at the same time.
    /// Traffic: the bootstrap's random COTs (<see cref="OtBackendCosts.RandomCot"/>), then the setup iteration.
    /// </summary>
    public static FerretCotSender Bootstrap(IOtSender bootstrap, IMessageStream stream, AesPrg prg,
        FerretParameters setup, FerretParameters main, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        var rows = new ulong[2 * setup.Reserve];
        bootstrap.SendRandomCot(rows);
        return new FerretCotSender(stream, bootstrap.GlobalDelta, rows, prg, setup, main, parallelism);
    }

    /// <summary>Δ of every COT made here.</summary>
    public UInt128 Delta => new(_delta.GetElement(1), _delta.GetElement(0));

    /// <summary>Iterations run so far, the setup iteration included.</summary>
    public int Iterations { get; private set; }

    /// <summary>COTs made and not handed out yet (the next <see cref="Next"/> calls take them before iterating).</summary>
    public int Buffered => _buffer.Buffered;

    /// <summary>
    /// Runs main iterations until at least <paramref name="lowWater"/> COTs are buffered, keeping the order in which
    /// they are handed out (what is left is handed out first), so that a receiver that iterates only when it runs dry
    /// gets the same sequence. A sender that must never make its receiver wait calls this after every use.
    /// </summary>
    public void EnsureBuffered(int lowWater) => _buffer.EnsureBuffered(lowWater, _iterateMain);

    /// <summary>The sender rows of the next rows.Length / 2 random COTs; runs main iterations as needed.</summary>
    public void Next(Span<ulong> rows)
    {
        if (rows.Length % 2 != 0)
            throw new ArgumentException($"COT rows are 128-bit blocks (pairs of ulongs); got {rows.Length} ulongs", nameof(rows));
        _buffer.Take(MemoryMarshal.Cast<ulong, Vector128<ulong>>(rows), _iterateMain);
    }

    private void Iterate(FerretParameters p, LocalLinearCode code)
    {
        int levels = p.LevelCots;
        var level = MemoryMarshal.Cast<Vector128<ulong>, ulong>(_reserve.AsSpan(p.CodeInputs, levels));
        var pad0 = Scratch.Ensure(ref _pad0, levels);
        var pad1 = Scratch.Ensure(ref _pad1, levels);
        _hash.Hash(level, _levelIndex, LevelHashDomain, MemoryMarshal.Cast<Vector128<ulong>, ulong>(pad0));
        for (int i = 0; i < levels; i++) pad1[i] = _reserve[p.CodeInputs + i] ^ _delta;
        var shifted = MemoryMarshal.Cast<Vector128<ulong>, ulong>(pad1);
        _hash.Hash(shifted, _levelIndex, LevelHashDomain, shifted);
        _levelIndex += (ulong)levels;

        var seeds = Scratch.Ensure(ref _seeds, p.NoisyBlocks);
        _prg.Fill(MemoryMarshal.Cast<Vector128<ulong>, ulong>(seeds));
        var output = Scratch.Ensure(ref _buffer.Outputs, p.Outputs);
        var message = Scratch.Ensure(ref _message, p.NoisyBlocks * SinglePointCot.MessageBlocks(p.LogBlock));
        RegularMultiPointCot.Send(p, _seeds, _delta, _pad0, _pad1, _buffer.Outputs, _message, _parallelism);
        _stream.Send(MemoryMarshal.AsBytes(message));

        code.Encode(_reserve, _buffer.Outputs, _parallelism);
        output[.._main.Reserve].CopyTo(_reserve);
        _buffer.Filled(_main.Reserve, p.Outputs);
        Iterations++;
    }
}
