using CoPriv.Models.Graph;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Models.Lowering;

/// <summary>
/// Maps the model's convolution geometry onto the protocols' <see cref="ConvShape"/>, which pads all four sides
/// alike. A convolution padded unevenly (TensorFlow's "SAME" for stride 2) runs on an explicitly zero-padded input
/// with no padding of its own: each party pads its own share with zeros, which is still a sharing of the padded
/// tensor, and the im2col product is the same.
/// </summary>
public static class ConvolutionShapes
{
    public static bool HasSymmetricPadding(ConvolutionGeometry g) =>
        g.Padding.Top == g.Padding.Bottom && g.Padding.Top == g.Padding.Left && g.Padding.Top == g.Padding.Right;

    /// <summary>Whether the protocols can run this convolution (they need one stride for both axes).</summary>
    public static bool IsSupported(ConvolutionGeometry g, out string reason)
    {
        reason = g.StrideHeight == g.StrideWidth ? "" :
            $"the secure convolution needs the same stride on both axes, got {g.StrideHeight}×{g.StrideWidth}";
        return reason.Length == 0;
    }

    /// <summary>The protocol shape: the geometry itself when evenly padded, else the explicitly padded input unpadded.</summary>
    public static ConvShape Of(ConvolutionGeometry g)
    {
        if (!IsSupported(g, out var reason)) throw new NotSupportedException(reason);
        return HasSymmetricPadding(g)
            ? new ConvShape(g.InChannels, g.OutChannels, g.InHeight, g.InWidth, g.KernelHeight, g.KernelWidth, g.StrideHeight,
                g.Padding.Top, g.Groups)
            : new ConvShape(g.InChannels, g.OutChannels, g.InHeight + g.Padding.Top + g.Padding.Bottom,
                g.InWidth + g.Padding.Left + g.Padding.Right, g.KernelHeight, g.KernelWidth, g.StrideHeight, 0, g.Groups);
    }

    /// <summary>The input as the protocol shape takes it: itself, or zero-padded when the padding is uneven.</summary>
    public static ulong[] PrepareInput(ConvolutionGeometry g, ulong[] input)
    {
        if (HasSymmetricPadding(g)) return input;
        int h = g.InHeight, w = g.InWidth;
        int ph = h + g.Padding.Top + g.Padding.Bottom, pw = w + g.Padding.Left + g.Padding.Right;
        var padded = new ulong[g.InChannels * ph * pw];
        for (int c = 0; c < g.InChannels; c++)
            for (int y = 0; y < h; y++)
                input.AsSpan((c * h + y) * w, w).CopyTo(padded.AsSpan((c * ph + y + g.Padding.Top) * pw + g.Padding.Left, w));
        return padded;
    }

    /// <summary>Ring elements read as signed fixed-point integers (the protocols' weight format).</summary>
    public static long[] Signed(Ring ring, ReadOnlySpan<ulong> values)
    {
        var signed = new long[values.Length];
        for (int i = 0; i < values.Length; i++) signed[i] = ring.ToSigned(values[i]);
        return signed;
    }
}
