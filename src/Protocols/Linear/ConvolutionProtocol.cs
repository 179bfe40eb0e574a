using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// CrypTFlow2's convolution: im2col turns each channel group into one OT matrix product
/// (K/G × C/G·kh·kw) · (C/G·kh·kw × OutH·OutW), for any kernel, stride, padding and groups (depthwise included).
/// The server holds the KCRS weights (and an optional per-channel bias at scale s); the client holds nothing but
/// its input share. Output: shares of the convolution at scale 2s (K×OutH×OutW), owing s bits of truncation.
/// </summary>
public sealed class ConvolutionProtocol : LinearLayerProtocol
{
    private readonly ulong[]? _weights;
    private readonly long[]? _bias;
    private ulong[]? _preShare;

    private protected override int PreprocessedShareLength => _preShare?.Length ?? 0;

    private ConvolutionProtocol(PartyRole role, ConvShape shape, LinearLayerOptions options, ulong[]? weights, long[]? bias)
        : base(role, options, shape.InputLength, shape.OutputLength, options.Scale)
    {
        Shape = shape;
        Orientation = OtMatMul.Choose(options.OtBackend.Costs, shape.GroupMatMul, options.Ring.Bits, options.Orientation,
            options.ServerOperandBits);
        if (weights is not null) CheckServerOperand(weights, "the weights");
        _weights = weights;
        _bias = bias;
    }

    /// <summary>The server's instance: weights KCRS (signed fixed point), bias per output channel or empty.</summary>
    public static ConvolutionProtocol ForServer(ConvShape shape, ReadOnlySpan<long> weights, ReadOnlySpan<long> bias,
        LinearLayerOptions options)
    {
        ConvolutionReference.CheckWeights(shape, weights.Length);
        if (!bias.IsEmpty && bias.Length != shape.K)
            throw new ArgumentException($"the bias has {bias.Length} values, {shape} has K = {shape.K} output channels");
        return new ConvolutionProtocol(PartyRole.Server, shape, options, RingMatrix.FromSigned(options.Ring, weights),
            bias.IsEmpty ? null : bias.ToArray());
    }

    /// <summary>The client's instance.</summary>
    public static ConvolutionProtocol ForClient(ConvShape shape, LinearLayerOptions options) =>
        new(PartyRole.Client, shape, options, null, null);

    public ConvShape Shape { get; }

    /// <summary>The OT orientation of the per-group products.</summary>
    public OtOrientation Orientation { get; }

    public override CommunicationCost Cost => CostOf(Shape, Options);

    private protected override LinearLayerParameters Parameters =>
        LinearLayerParameters.Convolution(LinearProtocolId.Im2colConvolution, Shape, Options, Orientation);

    /// <summary>Exact traffic: Groups OT products in pre-processing, the re-sharing of C·H·W inputs online.</summary>
    public static CommunicationCost CostOf(ConvShape shape, LinearLayerOptions options)
    {
        int ell = options.Ring.Bits;
        var mm = shape.GroupMatMul;
        var ot = options.OtBackend.Costs;
        var orientation = OtMatMul.Choose(ot, mm, ell, options.Orientation, options.ServerOperandBits);
        return OtMatMul.Cost(ot, mm, ell, orientation, Phase.Preprocessing, options.ServerOperandBits).Times(shape.Groups)
               + HandshakeAndReshareCost(shape.InputLength, ell);
    }

    private protected override void PreprocessServer(LinearPorts ports)
    {
        var mm = Shape.GroupMatMul;
        _preShare = new ulong[OutputLength];
        int weightsPerGroup = mm.D1 * mm.D2, outPerGroup = mm.D1 * mm.D3;
        for (int g = 0; g < Shape.Groups; g++)
            OtMatMul.CrossTermServer(ports.Sender, ports.Receiver, Ring, mm, Orientation, Options.ServerOperandBits,
                _weights.AsSpan(g * weightsPerGroup, weightsPerGroup), _preShare.AsSpan(g * outPerGroup, outPerGroup));
    }

    private protected override void PreprocessClient(LinearPorts ports, ReadOnlySpan<ulong> mask)
    {
        var mm = Shape.GroupMatMul;
        _preShare = new ulong[OutputLength];
        var patches = new ulong[mm.D2 * mm.D3];
        int outPerGroup = mm.D1 * mm.D3;
        for (int g = 0; g < Shape.Groups; g++)
        {
            Im2col.Patches(Shape, mask, g, patches);
            OtMatMul.CrossTermClient(ports.Sender, ports.Receiver, Ring, mm, Orientation, Options.ServerOperandBits, patches,
                _preShare.AsSpan(g * outPerGroup, outPerGroup));
        }
    }

    private protected override void OnlineServer(ReadOnlySpan<ulong> maskedInput, Span<ulong> output)
    {
        var mm = Shape.GroupMatMul;
        var patches = new ulong[mm.D2 * mm.D3];
        int weightsPerGroup = mm.D1 * mm.D2, outPerGroup = mm.D1 * mm.D3;
        for (int g = 0; g < Shape.Groups; g++)
        {
            Im2col.Patches(Shape, maskedInput, g, patches);
            RingMatrix.Multiply(Ring, _weights.AsSpan(g * weightsPerGroup, weightsPerGroup), patches, mm.D1, mm.D2, mm.D3,
                output.Slice(g * outPerGroup, outPerGroup));
        }
        Ring.Add(output, _preShare, output);
        _preShare = null;
        if (_bias is not null) ConvolutionReference.AddBias(Ring, _bias, PendingShift, Shape.OutH * Shape.OutW, output);
    }

    private protected override void OnlineClient(Span<ulong> output)
    {
        _preShare.AsSpan().CopyTo(output);
        _preShare = null;
    }
}
