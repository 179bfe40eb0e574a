using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// The COT receiver of Ferret, mirror of <see cref="FerretCotSender"/>: a generator of random COTs, each a random
/// choice c_i and the row q_i ⊕ c_i·Δ. Per iteration it reads the sender's message and sends nothing: the noisy
/// position of every block is read off its reserved level choices, so the output choices c = u·A ⊕ e are uniform
/// (u, the code's input choices, are). Δ's lowest bit is 1 and every sender row's is 0, so a choice is its row's lowest
/// bit: the code maps rows and choices at once. It learns its rows and nothing about Δ or the sender's rows at its choices'
/// other side. One thread at a time; the heavy loops use up to <c>parallelism</c> threads.
/// </summary>
public sealed class FerretCotReceiver : IFerretGenerator
{
    private readonly IMessageStream _stream;
    private readonly FerretParameters _main;
    private readonly LocalLinearCode _mainCode;
    private readonly int _parallelism;
    private readonly CorrelationRobustHash _hash = new();
    private readonly Vector128<ulong>[] _reserve;
    private readonly byte[] _levelChoices;
    private readonly FerretBuffer _buffer = new();
    private readonly Action _iterateMain;
    private Vector128<ulong>[] _pads = [], _message = [];
    private int[] _positions = [];
    private ulong _levelIndex;

    /// <param name="stream">the stream on which the peer sends the COTs' messages.</param>
    /// <param name="setupReserve">the rows t_i = q_i ⊕ c_i·Δ of <paramref name="setup"/>.Reserve random COTs (pairs of
    /// ulongs) whose sender normalized q_i to an even low word (<see cref="FerretCotSender"/>): the choice c_i is the
    /// row's lowest bit.</param>
    /// <param name="setup">the first iteration's parameters.</param>
    /// <param name="main">every later iteration's parameters.</param>
    /// <param name="parallelism">threads for the tree expansion and the code.</param>
    public FerretCotReceiver(IMessageStream stream, ReadOnlySpan<ulong> setupReserve,
        FerretParameters setup, FerretParameters main, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        setup.Validate(main);
        main.Validate(main);
        if (setupReserve.Length != 2 * setup.Reserve)
            throw new ArgumentException($"the setup iteration needs {setup.Reserve} COTs ({2 * setup.Reserve} ulongs), got {setupReserve.Length} ulongs");
        _stream = stream;
        _main = main;
        _mainCode = new LocalLinearCode(main.CodeInputs, main.Outputs, LocalLinearCode.PublicSeed);
        _iterateMain = () => Iterate(_main, _mainCode);
        _parallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount;
        int reserve = Math.Max(setup.Reserve, main.Reserve);
        _reserve = new Vector128<ulong>[reserve];
        _levelChoices = new byte[Math.Max(setup.LevelCots, main.LevelCots)];
        MemoryMarshal.Cast<ulong, Vector128<ulong>>(setupReserve).CopyTo(_reserve);
        Iterate(setup, new LocalLinearCode(setup.CodeInputs, setup.Outputs, LocalLinearCode.PublicSeed));
    }

    /// <summary>Mirror of <see cref="FerretCotSender.Bootstrap"/>: the setup reserve from random COTs of <paramref name="bootstrap"/>.</summary>
    public static FerretCotReceiver Bootstrap(IOtReceiver bootstrap, IMessageStream stream,
        FerretParameters setup, FerretParameters main, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        var choices = new byte[setup.Reserve];
        var rows = new ulong[2 * setup.Reserve];
        bootstrap.ReceiveRandomCot(choices, rows);
        return new FerretCotReceiver(stream, rows, setup, main, parallelism);
    }

    /// <summary>Iterations run so far, the setup iteration included.</summary>
    public int Iterations { get; private set; }

    /// <summary>COTs made and not handed out yet.</summary>
    public int Buffered => _buffer.Buffered;

    /// <summary>
    /// Mirror of <see cref="FerretCotSender.EnsureBuffered"/>: runs iterations (reading the sender's messages) until at
    /// least <paramref name="lowWater"/> COTs are buffered, what is left handed out first. Called where the sender
    /// calls its own (the setup), it reads exactly the messages the sender sent there.
    /// </summary>
    public void EnsureBuffered(int lowWater) => _buffer.EnsureBuffered(lowWater, _iterateMain);

    /// <summary>The next choices.Length random COTs: choices (0/1, each its row's lowest bit) and rows (pairs of ulongs).</summary>
    public void Next(Span<byte> choices, Span<ulong> rows)
    {
        OtArguments.CheckLength(nameof(rows), rows.Length, 2L * choices.Length);
        var blocks = MemoryMarshal.Cast<ulong, Vector128<ulong>>(rows);
        _buffer.Take(blocks, _iterateMain);
        LowBits(blocks, choices);
    }

    /// <summary>choices[i] = the lowest bit of block i: the receiver's choice of that COT.</summary>
    private static void LowBits(ReadOnlySpan<Vector128<ulong>> blocks, Span<byte> choices)
    {
        for (int i = 0; i < blocks.Length; i++) choices[i] = (byte)(blocks[i].GetElement(0) & 1);
    }

    private void Iterate(FerretParameters p, LocalLinearCode code)
    {
        var message = Scratch.Ensure(ref _message, p.NoisyBlocks * SinglePointCot.MessageBlocks(p.LogBlock));
        _stream.Receive(MemoryMarshal.AsBytes(message));

        int levels = p.LevelCots;
        var pads = Scratch.Ensure(ref _pads, levels);
        _hash.Hash(MemoryMarshal.Cast<Vector128<ulong>, ulong>(_reserve.AsSpan(p.CodeInputs, levels)), _levelIndex,
            FerretCotSender.LevelHashDomain, MemoryMarshal.Cast<Vector128<ulong>, ulong>(pads));
        _levelIndex += (ulong)levels;

        var output = Scratch.Ensure(ref _buffer.Outputs, p.Outputs);
        Scratch.Ensure(ref _positions, p.NoisyBlocks);
        LowBits(_reserve.AsSpan(p.CodeInputs, levels), _levelChoices);
        RegularMultiPointCot.Receive(p, _levelChoices, 0, _pads, _message, _buffer.Outputs, _positions, _parallelism);

        // Every row's lowest bit is its choice, and the code is linear: the outputs' choices come for free.
        code.Encode(_reserve, _buffer.Outputs, _parallelism);

        output[.._main.Reserve].CopyTo(_reserve);
        _buffer.Filled(_main.Reserve, p.Outputs);
        Iterations++;
    }
}
