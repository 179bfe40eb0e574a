using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// CoPriv's Winograd convolution for 3×3, stride-1 convolutions (any padding, any H×W, any groups): the server
/// transforms its weights offline (U' = 2^e·G g Gᵀ, see <see cref="WinogradTransform"/>), each party transforms its
/// own input share locally (V = Bᵀ d B), the parties run α² OT matrix products (K×C)·(C×T) per group — one per
/// Winograd position, each in the orientation the policy picks (DNN-aware: the client receives where T &lt; K, the
/// server where T &gt; K) — and each party applies the output transform Y = Aᵀ M A to its share. The output (K×OutH×OutW)
/// is at scale 2s + e and owes one faithful truncation by s + e. What each party learns is what it learns in the OT
/// products: nothing.
/// </summary>
public sealed class WinogradConvolutionProtocol : TransformDomainConvolutionProtocol
{
    private WinogradConvolutionProtocol(PartyRole role, ConvShape shape, WinogradTransform transform, LinearLayerOptions options,
        ulong[]? u, long[]? bias)
        : base(role, shape, transform, options, options.Scale + transform.ExtraScaleBits, u, bias)
    {
        Transform = transform;
    }

    /// <summary>Whether the shape can run on Winograd F(m×m, 3×3); otherwise why not (use im2col instead).</summary>
    public static bool Supports(ConvShape shape, out string reason)
    {
        if (shape.KernelH != 3 || shape.KernelW != 3)
            reason = $"Winograd F(m×m,3×3) needs a 3×3 kernel; {shape} has {shape.KernelH}×{shape.KernelW}";
        else if (shape.Stride != 1)
            reason = $"Winograd F(m×m,3×3) needs stride 1; {shape} has stride {shape.Stride}";
        else
            reason = "";
        return reason.Length == 0;
    }

    /// <summary>The server's instance: weights KCRS 3×3 (signed fixed point), bias per output channel or empty.</summary>
    public static WinogradConvolutionProtocol ForServer(ConvShape shape, WinogradTile tile, ReadOnlySpan<long> weights,
        ReadOnlySpan<long> bias, LinearLayerOptions options, int? extraScaleBits = null)
    {
        var transform = Check(shape, tile, options, extraScaleBits);
        ConvolutionReference.CheckWeights(shape, weights.Length);
        var checkedBias = CheckedBias(shape, bias);
        return new WinogradConvolutionProtocol(PartyRole.Server, shape, transform, options,
            transform.TransformWeights(options.Ring, shape, weights), checkedBias);
    }

    /// <summary>The client's instance.</summary>
    public static WinogradConvolutionProtocol ForClient(ConvShape shape, WinogradTile tile, LinearLayerOptions options,
        int? extraScaleBits = null) =>
        new(PartyRole.Client, shape, Check(shape, tile, options, extraScaleBits), options, null, null);

    public WinogradTransform Transform { get; }

    public override CommunicationCost Cost => CostOf(Shape, Transform.Tile, Options);

    private protected override LinearLayerParameters Parameters => LinearLayerParameters.Convolution(
        Transform.Tile == WinogradTile.F2x2 ? LinearProtocolId.WinogradF2x2 : LinearProtocolId.WinogradF4x4,
        Shape, Options, Orientation, Transform.ExtraScaleBits);

    /// <summary>Exact traffic: α²·G OT products in pre-processing, the re-sharing of C·H·W inputs online.</summary>
    public static CommunicationCost CostOf(ConvShape shape, WinogradTile tile, LinearLayerOptions options)
    {
        if (!Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
        return TransformDomainProducts.Cost(WinogradTransform.For(tile), shape, options) + HandshakeAndReshareCost(shape.InputLength, options.Ring.Bits);
    }

    private static WinogradTransform Check(ConvShape shape, WinogradTile tile, LinearLayerOptions options, int? extraScaleBits)
    {
        if (!Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
        var transform = WinogradTransform.For(tile, extraScaleBits);
        int headroom = options.Ring.Bits - 1 - 2 * options.Scale - transform.ExtraScaleBits;
        if (headroom < 1)
            throw new ArgumentException(
                $"Winograd {tile} needs ℓ ≥ 2s + e + 2 = {2 * options.Scale + transform.ExtraScaleBits + 2} bits of ring " +
                $"(scale s = {options.Scale}, extra scale e = {transform.ExtraScaleBits}); ℓ = {options.Ring.Bits}", nameof(options));
        return transform;
    }
}
