using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// The OT core shared by the transform-domain convolutions (<see cref="WinogradConvolutionProtocol"/>,
/// <see cref="PolyphaseConvolutionProtocol"/>): Positions·G products (K/G × C/G)·(C/G × T), all in the orientation
/// the policy picks for that shape, on the client's transformed mask in pre-processing and locally on the transformed
/// masked input online. The server holds the transformed weights; what each party learns is what it learns in the
/// OT products: nothing.
/// </summary>
internal sealed class TransformDomainProducts
{
    private readonly IConvolutionTransform _transform;

    public TransformDomainProducts(IConvolutionTransform transform, ConvShape shape, LinearLayerOptions options)
    {
        _transform = transform;
        Shape = shape;
        Ring = options.Ring;
        var (th, tw) = transform.TileGrid(shape);
        Tiles = th * tw;
        Product = ProductShape(shape, Tiles);
        WeightBits = options.ServerOperandBits;
        Orientation = OtMatMul.Choose(options.OtBackend.Costs, Product, options.Ring.Bits, options.Orientation, WeightBits);
    }

    public ConvShape Shape { get; }
    public Ring Ring { get; }

    /// <summary>T: output tiles per channel.</summary>
    public int Tiles { get; }

    /// <summary>The shape of every product: (K/G × C/G) · (C/G × T).</summary>
    public MatMulShape Product { get; }

    public OtOrientation Orientation { get; }

    /// <summary>B of the transformed weights (public).</summary>
    public int WeightBits { get; }

    private static MatMulShape ProductShape(ConvShape shape, int tiles) =>
        new(shape.OutputChannelsPerGroup, shape.InputChannelsPerGroup, tiles);

    /// <summary>Exact pre-processing traffic of the Positions·G products.</summary>
    public static CommunicationCost Cost(IConvolutionTransform transform, ConvShape shape, LinearLayerOptions options)
    {
        var (th, tw) = transform.TileGrid(shape);
        var mm = ProductShape(shape, th * tw);
        int ell = options.Ring.Bits;
        var ot = options.OtBackend.Costs;
        int weightBits = options.ServerOperandBits;
        var orientation = OtMatMul.Choose(ot, mm, ell, options.Orientation, weightBits);
        return OtMatMul.Cost(ot, mm, ell, orientation, Phase.Preprocessing, weightBits).Times((long)transform.Positions * shape.Groups);
    }

    /// <summary>The server's pre-processing: its shares of U'·V(r) for every position and group.</summary>
    public ulong[] PreprocessServer(LinearPorts ports, ulong[] weights)
    {
        var products = new ulong[ProductsLength];
        foreach (var (u, _, m) in Blocks(_transform.Positions, Shape, Tiles))
            OtMatMul.CrossTermServer(ports.Sender, ports.Receiver, Ring, Product, Orientation, WeightBits, weights.AsSpan(u), products.AsSpan(m));
        return products;
    }

    /// <summary>The client's pre-processing on its mask r: its output share, final (online it has nothing to compute).</summary>
    public ulong[] PreprocessClient(LinearPorts ports, ReadOnlySpan<ulong> mask)
    {
        var v = new ulong[InputTransformLength];
        _transform.TransformInput(Ring, Shape, mask, v);
        var products = new ulong[ProductsLength];
        foreach (var (_, vBlock, m) in Blocks(_transform.Positions, Shape, Tiles))
            OtMatMul.CrossTermClient(ports.Sender, ports.Receiver, Ring, Product, Orientation, WeightBits, v.AsSpan(vBlock), products.AsSpan(m));
        var share = new ulong[Shape.OutputLength];
        _transform.TransformOutput(Ring, Shape, products, share);
        return share;
    }

    /// <summary>
    /// The server's online step: adds U'·V(x − r) to its pre-processed products (in place) and transforms the sum to
    /// its output share.
    /// </summary>
    public void OnlineServer(ReadOnlySpan<ulong> maskedInput, ulong[] weights, ulong[] products, Span<ulong> output)
    {
        var v = new ulong[InputTransformLength];
        _transform.TransformInput(Ring, Shape, maskedInput, v);
        var local = new ulong[Product.D1 * Product.D3];
        foreach (var (u, vBlock, m) in Blocks(_transform.Positions, Shape, Tiles))
        {
            RingMatrix.Multiply(Ring, weights.AsSpan(u), v.AsSpan(vBlock), Product.D1, Product.D2, Product.D3, local);
            var block = products.AsSpan(m);
            Ring.Add(block, local, block);
        }
        _transform.TransformOutput(Ring, Shape, products, output);
    }

    /// <summary>The algorithm in cleartext: transformed weights and input in, the untransformed output out.</summary>
    public static ulong[] Cleartext(Ring ring, ConvShape shape, IConvolutionTransform transform, ReadOnlySpan<ulong> weights,
        ReadOnlySpan<ulong> input)
    {
        var (th, tw) = transform.TileGrid(shape);
        int tiles = th * tw;
        var mm = ProductShape(shape, tiles);
        var v = new ulong[(long)transform.Positions * shape.C * tiles];
        transform.TransformInput(ring, shape, input, v);
        var m = new ulong[(long)transform.Positions * shape.K * tiles];
        foreach (var (u, vBlock, mBlock) in Blocks(transform.Positions, shape, tiles))
            RingMatrix.Multiply(ring, weights[u], v.AsSpan(vBlock), mm.D1, mm.D2, mm.D3, m.AsSpan(mBlock));
        var output = new ulong[shape.OutputLength];
        transform.TransformOutput(ring, shape, m, output);
        return output;
    }

    private int InputTransformLength => _transform.Positions * Shape.C * Tiles;
    private int ProductsLength => _transform.Positions * Shape.K * Tiles;

    /// <summary>
    /// The (weights, transformed input, products) ranges of every product, position-major then group: U' block
    /// K/G×C/G, V block C/G×T, M block K/G×T.
    /// </summary>
    private static IEnumerable<(Range U, Range V, Range M)> Blocks(int positions, ConvShape shape, int tiles)
    {
        int kg = shape.OutputChannelsPerGroup, cg = shape.InputChannelsPerGroup;
        for (int pos = 0; pos < positions; pos++)
            for (int g = 0; g < shape.Groups; g++)
            {
                int u0 = (pos * shape.Groups + g) * kg * cg;
                int v0 = (pos * shape.C + g * cg) * tiles;
                int m0 = (pos * shape.K + g * kg) * tiles;
                yield return (u0..(u0 + kg * cg), v0..(v0 + cg * tiles), m0..(m0 + kg * tiles));
            }
    }
}
