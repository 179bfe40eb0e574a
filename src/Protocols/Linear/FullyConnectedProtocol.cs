using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// A fully connected layer y = W·x + b on one input vector: one OT product (Out × In)·(In × 1). The server holds W
/// (Out×In, row-major, signed fixed point) and b (scale s); the output (Out) is at scale 2s and owes s bits of
/// truncation. The server learns nothing about x, the client nothing about W and b.
/// </summary>
public sealed class FullyConnectedProtocol : LinearLayerProtocol
{
    private readonly ulong[]? _weights;
    private readonly long[]? _bias;
    private ulong[]? _preShare;

    private protected override int PreprocessedShareLength => _preShare?.Length ?? 0;

    private FullyConnectedProtocol(PartyRole role, int inputs, int outputs, LinearLayerOptions options, ulong[]? weights, long[]? bias)
        : base(role, options, inputs, outputs, options.Scale)
    {
        Shape = new MatMulShape(outputs, inputs, 1);
        Orientation = OtMatMul.Choose(options.OtBackend.Costs, Shape, options.Ring.Bits, options.Orientation, options.ServerOperandBits);
        if (weights is not null) CheckServerOperand(weights, "the weights");
        _weights = weights;
        _bias = bias;
    }

    public static FullyConnectedProtocol ForServer(int inputs, int outputs, ReadOnlySpan<long> weights, ReadOnlySpan<long> bias,
        LinearLayerOptions options)
    {
        var shape = new MatMulShape(outputs, inputs, 1);
        if (weights.Length != (long)outputs * inputs)
            throw new ArgumentException($"a {inputs}→{outputs} layer has {(long)outputs * inputs} weights (Out×In), got {weights.Length}");
        if (!bias.IsEmpty && bias.Length != outputs)
            throw new ArgumentException($"the bias has {bias.Length} values, the layer has {outputs} outputs");
        return new FullyConnectedProtocol(PartyRole.Server, shape.D2, shape.D1, options, RingMatrix.FromSigned(options.Ring, weights),
            bias.IsEmpty ? null : bias.ToArray());
    }

    public static FullyConnectedProtocol ForClient(int inputs, int outputs, LinearLayerOptions options)
    {
        var shape = new MatMulShape(outputs, inputs, 1);
        return new FullyConnectedProtocol(PartyRole.Client, shape.D2, shape.D1, options, null, null);
    }

    /// <summary>(Out, In, 1).</summary>
    public MatMulShape Shape { get; }
    public OtOrientation Orientation { get; }

    public override CommunicationCost Cost => CostOf(Shape.D2, Shape.D1, Options);

    private protected override LinearLayerParameters Parameters => new(LinearProtocolId.FullyConnected, Ring.Bits, Options.Scale, 0,
        Orientation, Options.ServerOperandBits, [("inputs", Shape.D2), ("outputs", Shape.D1)]);

    public static CommunicationCost CostOf(int inputs, int outputs, LinearLayerOptions options)
    {
        var shape = new MatMulShape(outputs, inputs, 1);
        int ell = options.Ring.Bits;
        var ot = options.OtBackend.Costs;
        int weightBits = options.ServerOperandBits;
        return OtMatMul.Cost(ot, shape, ell, OtMatMul.Choose(ot, shape, ell, options.Orientation, weightBits), Phase.Preprocessing, weightBits)
               + HandshakeAndReshareCost(inputs, ell);
    }

    private protected override void PreprocessServer(LinearPorts ports)
    {
        _preShare = new ulong[OutputLength];
        OtMatMul.CrossTermServer(ports.Sender, ports.Receiver, Ring, Shape, Orientation, Options.ServerOperandBits, _weights, _preShare);
    }

    private protected override void PreprocessClient(LinearPorts ports, ReadOnlySpan<ulong> mask)
    {
        _preShare = new ulong[OutputLength];
        OtMatMul.CrossTermClient(ports.Sender, ports.Receiver, Ring, Shape, Orientation, Options.ServerOperandBits, mask, _preShare);
    }

    private protected override void OnlineServer(ReadOnlySpan<ulong> maskedInput, Span<ulong> output)
    {
        RingMatrix.Multiply(Ring, _weights, maskedInput, Shape.D1, Shape.D2, 1, output);
        Ring.Add(output, _preShare, output);
        _preShare = null;
        if (_bias is not null) ConvolutionReference.AddBias(Ring, _bias, PendingShift, 1, output);
    }

    private protected override void OnlineClient(Span<ulong> output)
    {
        _preShare.AsSpan().CopyTo(output);
        _preShare = null;
    }
}
