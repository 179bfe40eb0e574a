using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// A convolution on shares: CrypTFlow2's im2col OT product, CoPriv's Winograd F(m×m, 3×3) when the lowering chose
/// <see cref="WinogradRingConvolution"/> for it, or the polyphase stride-2 algorithm for
/// <see cref="PolyphaseRingConvolution"/>. All OTs run in pre-processing on the client's mask, online the client sends
/// its masked share (<see cref="LinearLayerProtocol"/>). The server holds the weights and adds the bias (already at
/// the output scale) to its share; the output stays untruncated, as the lowering says.
/// </summary>
internal sealed class SecureConvolution : SecureLinearOperation
{
    private readonly RingConvolution _conv;
    private readonly ConvShape _shape;
    private readonly LinearLayerOptions _options;

    public SecureConvolution(RingConvolution conv, SecureInferencePolicy policy, string layerName)
        : base(conv, policy, layerName)
    {
        _conv = conv;
        if (conv.Algorithm is not (WinogradRingConvolution or PolyphaseRingConvolution or DirectRingConvolution))
            throw new NotSupportedException(
                $"operation '{conv.Name}': no secure protocol computes convolution algorithm '{conv.Algorithm.Name}'");
        _shape = ConvolutionShapes.Of(conv.Geometry);
        _options = new LinearLayerOptions(new FixedPoint(Ring, policy.Scale), policy.Orientation, layerName)
        {
            OtBackend = policy.Ot,
            WeightBits = policy.WeightBits,
        };
        var client = Layer(PartyRole.Client);
        Cost = client.Cost;
        var (name, orientation) = client switch
        {
            WinogradConvolutionProtocol w => ($"Winograd F({(int)w.Transform.Tile}×{(int)w.Transform.Tile},3×3) OT products", w.Orientation),
            PolyphaseConvolutionProtocol p => ("polyphase Winograd F(2,2) OT products", p.Orientation),
            ConvolutionProtocol c => ("im2col OT product", c.Orientation),
            _ => throw new InvalidOperationException($"unexpected layer protocol {client.GetType().Name}"),
        };
        Protocol = name + ReceiverSuffix(orientation);
    }

    public override string OperatorName => "conv";
    public override OperatorCategory Category => OperatorCategory.Linear;
    public override string Protocol { get; }
    public override CommunicationCost Cost { get; }

    public override int? WeightBits => _options.WeightBits ?? Ring.Bits;

    public override int WeightBitsNeeded() => Layer(PartyRole.Server).WeightBitsNeeded;

    private protected override ulong[] LayerInput(ulong[] input) => ConvolutionShapes.PrepareInput(_conv.Geometry, input);

    private protected override void AddServerOffsets(ulong[] output)
    {
        if (_conv.Bias is { } bias) FixedPointReferenceExecutor.AddPerChannel(Ring, output, bias);
    }

    /// <summary>The layer protocol of the lowering's algorithm for one party (the server's with its weights).</summary>
    private protected override LinearLayerProtocol Layer(PartyRole role)
    {
        if (role == PartyRole.Client)
        {
            return _conv.Algorithm switch
            {
                WinogradRingConvolution w => WinogradConvolutionProtocol.ForClient(_shape, w.Tile, _options),
                PolyphaseRingConvolution => PolyphaseConvolutionProtocol.ForClient(_shape, _options),
                _ => ConvolutionProtocol.ForClient(_shape, _options),
            };
        }
        var weights = ConvolutionShapes.Signed(Ring, _conv.Weights);
        return _conv.Algorithm switch
        {
            WinogradRingConvolution w => WinogradConvolutionProtocol.ForServer(_shape, w.Tile, weights, [], _options),
            PolyphaseRingConvolution => PolyphaseConvolutionProtocol.ForServer(_shape, weights, [], _options),
            _ => ConvolutionProtocol.ForServer(_shape, weights, [], _options),
        };
    }
}
