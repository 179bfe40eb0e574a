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

    void TransformInput(Ring ring, ConvShape shape, ReadOnlySpan<ulong> input, Span<ulong> v);

    void TransformOutput(Ring ring, ConvShape shape, ReadOnlySpan<ulong> m, Span<ulong> output);
}
