using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// Everything public about one 2-D convolution: input and output sizes, kernel, stride, padding and groups. Both
/// parties know it; the secure engine derives its matrix sizes from it (for im2col, per group: d1 = out channels per
/// group, d2 = kernel height · kernel width · in channels per group, d3 = output pixels).
/// </summary>
public sealed record ConvolutionGeometry(
    int InChannels, int InHeight, int InWidth,
    int OutChannels, int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth, Padding2d Padding, int Groups)
{
    public int OutHeight => (InHeight + Padding.Top + Padding.Bottom - KernelHeight) / StrideHeight + 1;
    public int OutWidth => (InWidth + Padding.Left + Padding.Right - KernelWidth) / StrideWidth + 1;

    public int InChannelsPerGroup => InChannels / Groups;
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Rows of the im2col matrix of one group: kernel height · kernel width · in channels per group.</summary>
    public int PatchSize => KernelHeight * KernelWidth * InChannelsPerGroup;

    public int OutputPixels => OutHeight * OutWidth;

    /// <summary>Weight count: out channels · in channels per group · kernel height · kernel width.</summary>
    public int WeightCount => OutChannels * PatchSize;

    /// <summary>Multiply-accumulates of the convolution (padding positions included, as im2col computes them).</summary>
    public long MultiplyAccumulates => (long)OutChannels * OutputPixels * PatchSize;

    public bool IsDepthwise => Groups > 1 && Groups == InChannels && Groups == OutChannels;

    public TensorShape InputShape => TensorShape.FeatureMap(InChannels, InHeight, InWidth);
    public TensorShape OutputShape => TensorShape.FeatureMap(OutChannels, OutHeight, OutWidth);
}
