using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Models.Lowering;

/// <summary>
/// The cleartext Winograd convolution of <see cref="ConvolutionReference.Winograd"/> plugged into the lowering:
/// what <see cref="WinogradConvolutionProtocol"/> reveals when the shares are added, bit for bit, so the reference
/// executor of a CoPriv program runs the same algorithm as the secure engine. F(2×2, 3×3) returns 4× the direct
/// convolution (G is scaled by 2 to stay integral); the lowering adds those 2 bits (10 for F(4×4, 3×3)) to the output
/// scale.
/// </summary>
public sealed class WinogradRingConvolution : IRingConvolution
{
    private WinogradRingConvolution(WinogradTile tile)
    {
        Transform = WinogradTransform.For(tile);
        Name = $"winograd-f{(int)tile}x{(int)tile}-3x3";
    }

    public static WinogradRingConvolution F2x2 { get; } = new(WinogradTile.F2x2);

    /// <summary>
    /// F(4×4, 3×3) with the linear room's default 10 extra scale bits: its transformed weights are rounded, so it is
    /// bit-exact with itself (and with the protocol), not with the direct convolution.
    /// </summary>
    public static WinogradRingConvolution F4x4 { get; } = new(WinogradTile.F4x4);

    public WinogradTransform Transform { get; }
    public WinogradTile Tile => Transform.Tile;
    public string Name { get; }

    /// <summary>3×3 kernels, stride 1, the same padding on all four sides (the protocol's shape).</summary>
    public bool Supports(ConvolutionGeometry geometry) =>
        geometry.KernelHeight == 3 && geometry.KernelWidth == 3 && geometry.StrideHeight == 1 && geometry.StrideWidth == 1
        && ConvolutionShapes.HasSymmetricPadding(geometry);

    public int ExtraScaleBits(ConvolutionGeometry geometry) => Transform.ExtraScaleBits;

    public void Convolve(Ring ring, ConvolutionGeometry geometry, ReadOnlySpan<ulong> input, ReadOnlySpan<ulong> weights, Span<ulong> output)
    {
        if (!Supports(geometry))
            throw new ArgumentException($"{Name} needs a 3×3 stride-1 convolution with equal padding on all sides, got {geometry}");
        var shape = ConvolutionShapes.Of(geometry);
        var result = ConvolutionReference.Winograd(ring, shape, Transform, ConvolutionShapes.Signed(ring, weights), input);
        result.CopyTo(output);
    }
}
