using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// The shape shared by all OT-based linear layers, split into pre-processing and online. Each party builds its own
/// instance (the server's holds the weights) and both call <see cref="Preprocess"/>, then <see cref="Online"/>.
/// In pre-processing the client fixes its share of the layer input to a random mask r and the parties run all of
/// the layer's OTs on r, ending with shares of W·r: every OT byte is booked as <see cref="Phase.Preprocessing"/>.
/// Online, the client sends x_c − r (ℓ bits per input element), so the server holds x − r and adds W·(x − r)
/// locally: the online traffic is that one flight. The server learns x_c − r, which r hides; the client learns
/// nothing. A mask is used for exactly one online call.
/// </summary>
public abstract class LinearLayerProtocol
{
    private ulong[]? _mask;
    private bool _preprocessed, _consumed;

    private protected LinearLayerProtocol(PartyRole role, LinearLayerOptions options, int inputLength, int outputLength,
        int pendingShift)
    {
        Role = role;
        Options = options;
        InputLength = inputLength;
        OutputLength = outputLength;
        PendingShift = pendingShift;
    }

    /// <summary>The party this instance runs for.</summary>
    public PartyRole Role { get; }

    public LinearLayerOptions Options { get; }
    public Ring Ring => Options.Ring;

    /// <summary>Elements of the input share (C·H·W for a convolution).</summary>
    public int InputLength { get; }

    /// <summary>Elements of the output share.</summary>
    public int OutputLength { get; }

    /// <summary>Bits of faithful truncation the output still owes (s, plus Winograd's extra scale bits).</summary>
    public int PendingShift { get; }

    /// <summary>
    /// The server's instance: the bits of two's complement its operand (the weights as this layer uses them:
    /// transformed, folded) needs, at most <see cref="LinearLayerOptions.WeightBits"/>; 0 for the client's instance.
    /// </summary>
    public int WeightBitsNeeded { get; private set; }

    /// <summary>
    /// Measures the server's operand and refuses it, in one line naming the layer and the bits it needs, when it does
    /// not fit in the options' weight bit-width (it would make the products wrong; it is never clipped).
    /// </summary>
    private protected void CheckServerOperand(ReadOnlySpan<ulong> operand, string what)
    {
        WeightBitWidth.Check(Ring, operand, Options.ServerOperandBits, Options.Name, what);
        WeightBitsNeeded = WeightBitWidth.Needed(Ring, operand);
    }

    /// <summary>The exact traffic of <see cref="Preprocess"/> plus <see cref="Online"/>, per phase and direction.</summary>
    public abstract CommunicationCost Cost { get; }

    /// <summary>Runs the layer's OTs on a fresh client mask (both parties call it; all traffic is pre-processing).</summary>
    public void Preprocess(PartyContext ctx)
    {
        CheckOtBackend(ctx.Ot.Backend);
        Preprocess(LinearPorts.From(ctx));
    }

    /// <summary>
    /// Re-shares the input against the mask and finishes the layer locally; returns this party's output share.
    /// </summary>
    public LinearLayerOutput Online(PartyContext ctx, ReadOnlySpan<ulong> inputShare) => Online(LinearPorts.From(ctx), inputShare);

    /// <summary><see cref="Preprocess"/> then <see cref="Online"/>.</summary>
    public LinearLayerOutput Run(PartyContext ctx, ReadOnlySpan<ulong> inputShare)
    {
        Preprocess(ctx);
        return Online(ctx, inputShare);
    }

    /// <summary>
    /// <see cref="Run"/> followed by one faithful truncation (MSB unknown) of every output by
    /// <see cref="PendingShift"/>: shares of the layer output at scale s, bit-identical to the arithmetic right shift
    /// of the reconstructed value. The truncation's traffic is online.
    /// </summary>
    public LinearLayerOutput RunTruncated(PartyContext ctx, ReadOnlySpan<ulong> inputShare)
    {
        var output = Run(ctx, inputShare);
        var truncated = new ulong[OutputLength];
        using (ctx.Meter.InPhase(Phase.Online))
            FaithfulTruncation.Run(ctx, Ring, PendingShift, output.Share, truncated, MsbKnowledge.Unknown);
        return new LinearLayerOutput(truncated, 0);
    }

    /// <summary>The exact traffic of <see cref="RunTruncated"/>.</summary>
    public CommunicationCost TruncatedCost =>
        Cost + FaithfulTruncation.Cost(OutputLength, Ring, PendingShift, MsbKnowledge.Unknown, otCosts: Options.OtBackend.Costs);

    internal void Preprocess(LinearPorts ports)
    {
        CheckRole(ports.Role);
        if (_preprocessed)
            throw new InvalidOperationException("this layer instance is already pre-processed; a mask is used once");
        using (ports.Meter.InPhase(Phase.Preprocessing))
        {
            LinearParameterHandshake.Exchange(ports.Channel, Role, Parameters);
            if (Role == PartyRole.Client)
            {
                _mask = new ulong[InputLength];
                ports.Prg.Fill(_mask, Ring);
                PreprocessClient(ports, _mask);
            }
            else
            {
                PreprocessServer(ports);
            }
        }
        _preprocessed = true;
    }

    internal LinearLayerOutput Online(LinearPorts ports, ReadOnlySpan<ulong> inputShare)
    {
        CheckRole(ports.Role);
        if (!_preprocessed) throw new InvalidOperationException("call Preprocess before Online");
        if (_consumed) throw new InvalidOperationException("this layer's mask was already used; pre-process a new instance");
        if (inputShare.Length != InputLength)
            throw new ArgumentException($"the input share has {inputShare.Length} elements, the layer expects {InputLength}");
        _consumed = true;
        var output = new ulong[OutputLength];
        var stream = ports.Channel.Stream(Options.ReshareStream);
        using (ports.Meter.InPhase(Phase.Online))
        {
            var masked = new ulong[InputLength];
            if (Role == PartyRole.Client)
            {
                Ring.Sub(inputShare, _mask!, masked);
                stream.SendPacked(masked, Ring.Bits);
                _mask = null;
                OnlineClient(output);
            }
            else
            {
                stream.ReceivePacked(masked, Ring.Bits);
                Ring.Add(masked, inputShare, masked);
                OnlineServer(masked, output);
            }
        }
        return new LinearLayerOutput(output, PendingShift);
    }

    /// <summary>
    /// What every layer sends besides its OT products: the parameter handshake in pre-processing and the online
    /// re-sharing, ℓ bits per input element from the client in one flight.
    /// </summary>
    private protected static CommunicationCost HandshakeAndReshareCost(long inputLength, int ell) =>
        LinearParameterHandshake.Cost() + CommunicationCost.Online(0, (inputLength * ell + 7) / 8, 1);

    /// <summary>
    /// Bytes of this party's secrets the instance holds between <see cref="Preprocess"/> and <see cref="Online"/>: the
    /// client's mask and either party's share of the products on it (the server's operand, its model, not counted).
    /// </summary>
    public long HeldBytes => sizeof(ulong) * ((long)(_mask?.Length ?? 0) + PreprocessedShareLength);

    /// <summary>Elements of this party's pre-processed product share (0 before <see cref="Preprocess"/>).</summary>
    private protected abstract int PreprocessedShareLength { get; }

    /// <summary>What this party sends in the handshake and expects the peer to send.</summary>
    private protected abstract LinearLayerParameters Parameters { get; }

    /// <summary>The server's pre-processing: its side of the OTs on the client's mask.</summary>
    private protected abstract void PreprocessServer(LinearPorts ports);

    /// <summary>The client's pre-processing on its mask r.</summary>
    private protected abstract void PreprocessClient(LinearPorts ports, ReadOnlySpan<ulong> mask);

    /// <summary>The server's online step: its output share from x − r (local).</summary>
    private protected abstract void OnlineServer(ReadOnlySpan<ulong> maskedInput, Span<ulong> output);

    /// <summary>The client's online step: its output share (from pre-processing).</summary>
    private protected abstract void OnlineClient(Span<ulong> output);

    /// <summary>The orientation and the cost were computed with the options' backend; a session on another would break both.</summary>
    private void CheckOtBackend(OtBackend backend)
    {
        if (backend != Options.OtBackend)
            throw new ArgumentException(
                $"this layer was set up for OT backend '{Options.OtBackend.Name}', the session runs '{backend.Name}'");
    }

    private void CheckRole(PartyRole role)
    {
        if (role != Role)
            throw new ArgumentException(
                $"this layer instance was built for the {Role.ToString().ToLowerInvariant()}, not the {role.ToString().ToLowerInvariant()}");
    }
}
