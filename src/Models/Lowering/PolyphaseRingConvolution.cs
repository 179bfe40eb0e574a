using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Models.Lowering;

/// <summary>
/// The cleartext polyphase stride-2 convolution of <see cref="ConvolutionReference.Polyphase"/> plugged into the
/// lowering: what <see cref="PolyphaseConvolutionProtocol"/> reveals when the shares are added, so the reference
/// executor of a CoPriv program runs the same algorithm as the secure engine. It is integral and unscaled: the result
/// is the direct convolution bit for bit, with no extra scale bits. Uneven padding (TensorFlow's "SAME" at stride 2)
/// runs on the explicitly zero-padded input, as the secure engine runs it.
/// </summary>
public sealed class PolyphaseRingConvolution : IRingConvolution
{
    private PolyphaseRingConvolution()
    {
    }

    public static PolyphaseRingConvolution Instance { get; } = new();

    public string Name => "polyphase-f2x2-3x3-stride2";

    /// <summary>3×3 kernels with stride 2 on both axes, any padding.</summary>
    public bool Supports(ConvolutionGeometry geometry) =>
        geometry.KernelHeight == 3 && geometry.KernelWidth == 3 && geometry.StrideHeight == 2 && geometry.StrideWidth == 2;

    public int ExtraScaleBits(ConvolutionGeometry geometry) => 0;

    public void Convolve(Ring ring, ConvolutionGeometry geometry, ReadOnlySpan<ulong> input, ReadOnlySpan<ulong> weights, Span<ulong> output)
    {
        if (!Supports(geometry))
            throw new ArgumentException($"{Name} needs a 3×3 stride-2 convolution, got {geometry}");
        var shape = ConvolutionShapes.Of(geometry);
        var result = ConvolutionReference.Polyphase(ring, shape, ConvolutionShapes.Signed(ring, weights),
            ConvolutionShapes.PrepareInput(geometry, input.ToArray()));
        result.CopyTo(output);
    }
}
