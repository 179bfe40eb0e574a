using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Models.Secure;

/// <summary>
/// A convolution on shares: CrypTFlow2's im2col OT product, or CoPriv's Winograd F(2×2, 3×3) when the lowering chose
/// <see cref="WinogradRingConvolution"/> for it. All OTs run in pre-processing on the client's mask, online the
/// client sends its masked share (<see cref="LinearLayerProtocol"/>). The server holds the weights and adds the bias
/// (already at the output scale) to its share; the output stays untruncated, as the lowering says.
/// </summary>
internal sealed class SecureConvolution : SecureOperation
{
    private readonly RingConvolution _conv;
    private readonly WinogradRingConvolution? _winograd;
    private readonly ConvShape _shape;
    private readonly LinearLayerOptions _options;

    public SecureConvolution(RingConvolution conv, SecureInferencePolicy policy, string layerName)
        : base(conv, policy, layerName)
    {
        _conv = conv;
        _winograd = conv.Algorithm switch
        {
            WinogradRingConvolution w => w,
            DirectRingConvolution => null,
            _ => throw new NotSupportedException(
                $"operation '{conv.Name}': no secure protocol computes convolution algorithm '{conv.Algorithm.Name}'"),
        };
        _shape = ConvolutionShapes.Of(conv.Geometry);
        _options = new LinearLayerOptions(new FixedPoint(Ring, policy.Scale), policy.Orientation, layerName);
        var orientation = _winograd is null
            ? ConvolutionProtocol.ForClient(_shape, _options).Orientation
            : WinogradConvolutionProtocol.ForClient(_shape, _winograd.Tile, _options).Orientation;
        Protocol = (_winograd is null ? "im2col OT product" : $"Winograd F({(int)_winograd.Tile}×{(int)_winograd.Tile},3×3) OT products")
                   + (orientation == OtOrientation.ClientReceives ? ", client receives" : ", server receives");
    }

    public override string OperatorName => "conv";
    public override OperatorCategory Category => OperatorCategory.Linear;
    public override string Protocol { get; }

    public override CommunicationCost Cost => _winograd is null
        ? ConvolutionProtocol.CostOf(_shape, _options)
        : WinogradConvolutionProtocol.CostOf(_shape, _winograd.Tile, _options);

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var input = ConvolutionShapes.PrepareInput(_conv.Geometry, inputs[0]);
        LinearLayerProtocol layer;
        if (ctx.Role == PartyRole.Server)
        {
            var weights = ConvolutionShapes.Signed(Ring, _conv.Weights);
            layer = _winograd is null
                ? ConvolutionProtocol.ForServer(_shape, weights, [], _options)
                : WinogradConvolutionProtocol.ForServer(_shape, _winograd.Tile, weights, [], _options);
        }
        else
        {
            layer = _winograd is null
                ? ConvolutionProtocol.ForClient(_shape, _options)
                : WinogradConvolutionProtocol.ForClient(_shape, _winograd.Tile, _options);
        }
        var output = layer.Run(ctx, input).Share;
        if (ctx.Role == PartyRole.Server && _conv.Bias is { } bias) AddPerChannel(Ring, output, bias);
        return output;
    }
}
