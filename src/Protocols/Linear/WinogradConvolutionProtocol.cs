using CoPriv.Protocols.Channels;
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
public sealed class WinogradConvolutionProtocol : LinearLayerProtocol
{
    private readonly ulong[]? _u;
    private readonly long[]? _bias;
    private ulong[]? _preShare;

    private WinogradConvolutionProtocol(PartyRole role, ConvShape shape, WinogradTransform transform, LinearLayerOptions options,
        ulong[]? u, long[]? bias)
        : base(role, options, shape.InputLength, shape.OutputLength, options.Scale + transform.ExtraScaleBits)
    {
        Shape = shape;
        Transform = transform;
        var (th, tw) = transform.TileGrid(shape);
        Tiles = th * tw;
        Orientation = OtMatMul.Choose(ProductShape(shape, Tiles), options.Ring.Bits, options.Orientation);
        _u = u;
        _bias = bias;
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
        if (!bias.IsEmpty && bias.Length != shape.K)
            throw new ArgumentException($"the bias has {bias.Length} values, {shape} has K = {shape.K} output channels");
        return new WinogradConvolutionProtocol(PartyRole.Server, shape, transform, options,
            transform.TransformWeights(options.Ring, shape, weights), bias.IsEmpty ? null : bias.ToArray());
    }

    /// <summary>The client's instance.</summary>
    public static WinogradConvolutionProtocol ForClient(ConvShape shape, WinogradTile tile, LinearLayerOptions options,
        int? extraScaleBits = null) =>
        new(PartyRole.Client, shape, Check(shape, tile, options, extraScaleBits), options, null, null);

    public ConvShape Shape { get; }
    public WinogradTransform Transform { get; }

    /// <summary>T: output tiles per channel.</summary>
    public int Tiles { get; }

    /// <summary>The orientation of the α²·G products.</summary>
    public OtOrientation Orientation { get; }

    public override CommunicationCost Cost => CostOf(Shape, Transform.Tile, Options);

    /// <summary>The shape of each of the α²·G products: (K/G × C/G) · (C/G × T).</summary>
    public static MatMulShape ProductShape(ConvShape shape, int tiles) =>
        new(shape.OutputChannelsPerGroup, shape.InputChannelsPerGroup, tiles);

    /// <summary>Exact traffic: α²·G OT products in pre-processing, the re-sharing of C·H·W inputs online.</summary>
    public static CommunicationCost CostOf(ConvShape shape, WinogradTile tile, LinearLayerOptions options)
    {
        if (!Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
        var transform = WinogradTransform.For(tile);
        var (th, tw) = transform.TileGrid(shape);
        var mm = ProductShape(shape, th * tw);
        int ell = options.Ring.Bits;
        var orientation = OtMatMul.Choose(mm, ell, options.Orientation);
        return OtMatMul.Cost(mm, ell, orientation, Phase.Preprocessing).Times((long)transform.Alpha * transform.Alpha * shape.Groups)
               + ReshareCost(shape.InputLength, ell);
    }

    private protected override void PreprocessServer(LinearPorts ports)
    {
        var mm = ProductShape(Shape, Tiles);
        var products = new ulong[ProductsLength];
        var workspace = new CorrelatedMatMul.Workspace();
        foreach (var (u, _, m) in AllBlocks())
            OtMatMul.CrossTermServer(ports.Sender, ports.Receiver, Ring, mm, Orientation, _u.AsSpan(u), products.AsSpan(m), workspace);
        _preShare = products;
    }

    private protected override void PreprocessClient(LinearPorts ports, ReadOnlySpan<ulong> mask)
    {
        var mm = ProductShape(Shape, Tiles);
        var v = new ulong[InputTransformLength];
        Transform.TransformInput(Ring, Shape, mask, v);
        var products = new ulong[ProductsLength];
        var workspace = new CorrelatedMatMul.Workspace();
        foreach (var (_, vBlock, m) in AllBlocks())
            OtMatMul.CrossTermClient(ports.Sender, ports.Receiver, Ring, mm, Orientation, v.AsSpan(vBlock), products.AsSpan(m), workspace);
        // The client's output share is fixed now; online it has nothing left to compute.
        _preShare = new ulong[OutputLength];
        Transform.TransformOutput(Ring, Shape, products, _preShare);
    }

    private protected override void OnlineServer(ReadOnlySpan<ulong> maskedInput, Span<ulong> output)
    {
        var mm = ProductShape(Shape, Tiles);
        var v = new ulong[InputTransformLength];
        Transform.TransformInput(Ring, Shape, maskedInput, v);
        var products = _preShare!;
        var local = new ulong[mm.D1 * mm.D3];
        foreach (var (u, vBlock, m) in AllBlocks())
        {
            RingMatrix.Multiply(Ring, _u.AsSpan(u), v.AsSpan(vBlock), mm.D1, mm.D2, mm.D3, local);
            var block = products.AsSpan(m);
            Ring.Add(block, local, block);
        }
        Transform.TransformOutput(Ring, Shape, products, output);
        _preShare = null;
        if (_bias is not null) ConvolutionReference.AddBias(Ring, _bias, PendingShift, Shape.OutH * Shape.OutW, output);
    }

    private protected override void OnlineClient(Span<ulong> output)
    {
        _preShare.AsSpan().CopyTo(output);
        _preShare = null;
    }

    private int InputTransformLength => Transform.Alpha * Transform.Alpha * Shape.C * Tiles;
    private int ProductsLength => Transform.Alpha * Transform.Alpha * Shape.K * Tiles;

    /// <summary>
    /// The (weights, transformed input, products) ranges of every product, position-major then group: U' block
    /// K/G×C/G, V block C/G×T, M block K/G×T.
    /// </summary>
    private IEnumerable<(Range U, Range V, Range M)> AllBlocks()
    {
        int a2 = Transform.Alpha * Transform.Alpha, kg = Shape.OutputChannelsPerGroup, cg = Shape.InputChannelsPerGroup;
        for (int pos = 0; pos < a2; pos++)
            for (int g = 0; g < Shape.Groups; g++)
            {
                int u0 = (pos * Shape.Groups + g) * kg * cg;
                int v0 = (pos * Shape.C + g * cg) * Tiles;
                int m0 = (pos * Shape.K + g * kg) * Tiles;
                yield return (u0..(u0 + kg * cg), v0..(v0 + cg * Tiles), m0..(m0 + kg * Tiles));
            }
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
