using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// A convolution algorithm that works in a transform domain: each party maps its input share tile by tile to
/// <see cref="Positions"/> vectors (exact integer linear maps, so shares stay shares), the server maps its weights to
/// one (K/G × C/G) matrix per position and group, the parties multiply position by position, and each party maps its
/// product share back to the output. Winograd F(m×m, 3×3) and the polyphase stride-2 algorithm are the two.
/// Layouts: transformed input v[(pos·C + c)·T + t], transformed weights [((pos·G + g)·K/G + k)·C/G + c], products
/// m[(pos·K + k)·T + t], T = TilesH·TilesW.
/// </summary>
internal interface IConvolutionTransform
{
    /// <summary>The number of transform-domain positions per tile (one OT matrix product each, per group).</summary>
    int Positions { get; }

    /// <summary>The output tiles along each axis.</summary>
    (int TilesH, int TilesW) TileGrid(ConvShape shape);

    /// <summary>The server's transform of one 3×3 filter g (row-major, signed) to its <see cref="Positions"/> values u.</summary>
    void TransformFilter(ReadOnlySpan<long> g, Span<long> u);

    void TransformInput(Ring ring, ConvShape shape, ReadOnlySpan<ulong> input, Span<ulong> v);

    void TransformOutput(Ring ring, ConvShape shape, ReadOnlySpan<ulong> m, Span<ulong> output);
}

/// <summary>What the transform-domain convolutions do alike, whatever their transform.</summary>
internal static class ConvolutionTransforms
{
    /// <summary>
    /// The transformed weights of a whole layer (KCRS, 3×3) in the products' layout: position-major, then K/G × C/G
    /// per group: result[((pos·G + g)·(K/G) + k)·(C/G) + c] as ring elements.
    /// </summary>
    public static ulong[] TransformWeights(IConvolutionTransform transform, Ring ring, ConvShape shape, ReadOnlySpan<long> weights)
    {
        ConvolutionReference.CheckWeights(shape, weights.Length);
        int positions = transform.Positions, cg = shape.InputChannelsPerGroup, kg = shape.OutputChannelsPerGroup, groups = shape.Groups;
        var result = new ulong[(long)positions * shape.K * cg];
        Span<long> u = stackalloc long[positions];
        for (int k = 0; k < shape.K; k++)
        {
            int g = k / kg, kk = k % kg;
            for (int c = 0; c < cg; c++)
            {
                transform.TransformFilter(weights.Slice((k * cg + c) * 9, 9), u);
                for (int pos = 0; pos < positions; pos++)
                    result[((long)(pos * groups + g) * kg + kk) * cg + c] = ring.FromSigned(u[pos]);
            }
        }
        return result;
    }

    /// <summary>
    /// Copies the side×side window of one input plane whose top-left corner is (y0, x0) into d, zero where it hangs
    /// over the plane's edge (the convolution's padding and the last tiles' overhang).
    /// </summary>
    public static void GatherWindow(ReadOnlySpan<ulong> plane, int height, int width, int y0, int x0, int side, Span<ulong> d)
    {
        for (int i = 0; i < side; i++)
        {
            int y = y0 + i;
            bool inside = (uint)y < (uint)height;
            for (int j = 0; j < side; j++)
            {
                int x = x0 + j;
                d[i * side + j] = inside && (uint)x < (uint)width ? plane[y * width + x] : 0;
            }
        }
    }
}
