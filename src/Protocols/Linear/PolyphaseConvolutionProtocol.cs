using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// A 3×3 stride-2 convolution (any padding, any H×W, any groups) as four polyphase sub-convolutions on Winograd
/// F(2,2) (<see cref="PolyphaseTransform"/>): the server transforms its weights offline, each party transforms its
/// own input share locally, the parties run 25 OT matrix products (K×C)·(C×T) per group — one per transform-domain
/// position, T = ⌈OutH/2⌉·⌈OutW/2⌉ tiles, each in the orientation the policy picks — and each party applies the
/// output transform to its share. 25 products per 2×2 output tile instead of im2col's 36 MACs per tile: about
/// 0.69× the OT bytes. Every transform is integral and unscaled, so the output equals the direct convolution bit for
/// bit at scale 2s and owes s bits of truncation, as im2col's does. What each party learns is what it learns in the
/// OT products: nothing.
/// </summary>
public sealed class PolyphaseConvolutionProtocol : TransformDomainConvolutionProtocol
{
    private PolyphaseConvolutionProtocol(PartyRole role, ConvShape shape, LinearLayerOptions options, ulong[]? u, long[]? bias)
        : base(role, shape, PolyphaseTransform.Instance, options, options.Scale, u, bias)
    {
    }

    /// <summary>Whether the shape is a 3×3 stride-2 convolution; otherwise why not (use im2col instead).</summary>
    public static bool Supports(ConvShape shape, out string reason) => PolyphaseTransform.Supports(shape, out reason);

    /// <summary>The server's instance: weights KCRS 3×3 (signed fixed point), bias per output channel or empty.</summary>
    public static PolyphaseConvolutionProtocol ForServer(ConvShape shape, ReadOnlySpan<long> weights, ReadOnlySpan<long> bias,
        LinearLayerOptions options)
    {
        Check(shape);
        ConvolutionReference.CheckWeights(shape, weights.Length);
        var checkedBias = CheckedBias(shape, bias);
        return new PolyphaseConvolutionProtocol(PartyRole.Server, shape, options,
            PolyphaseTransform.Instance.TransformWeights(options.Ring, shape, weights), checkedBias);
    }

    /// <summary>The client's instance.</summary>
    public static PolyphaseConvolutionProtocol ForClient(ConvShape shape, LinearLayerOptions options)
    {
        Check(shape);
        return new PolyphaseConvolutionProtocol(PartyRole.Client, shape, options, null, null);
    }

    public override CommunicationCost Cost => CostOf(Shape, Options);

    private protected override LinearLayerParameters Parameters =>
        LinearLayerParameters.Convolution(LinearProtocolId.PolyphaseConvolution, Shape, Options, Orientation);

    /// <summary>Exact traffic: 25·G OT products in pre-processing, the re-sharing of C·H·W inputs online.</summary>
    public static CommunicationCost CostOf(ConvShape shape, LinearLayerOptions options)
    {
        Check(shape);
        return TransformDomainProducts.Cost(PolyphaseTransform.Instance, shape, options) + HandshakeAndReshareCost(shape.InputLength, options.Ring.Bits);
    }

    private static void Check(ConvShape shape)
    {
        if (!Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
    }
}
