namespace CoPriv.Protocols.Linear;

/// <summary>
/// A 2-D convolution: input C×H×W (NCHW, batch 1), K output channels, a KernelH×KernelW kernel, the same stride
/// and zero padding on both axes, and Groups channel groups (Groups = C = K is depthwise). Weights are KCRS:
/// K × (C/Groups) × KernelH × KernelW.
/// </summary>
public sealed record ConvShape
{
    public ConvShape(int c, int k, int h, int w, int kernelH = 3, int kernelW = 3, int stride = 1, int padding = 0, int groups = 1)
    {
        if (c < 1 || k < 1 || h < 1 || w < 1)
            throw new ArgumentException($"channels and image size must be positive, got C={c}, K={k}, H={h}, W={w}");
        if (kernelH < 1 || kernelW < 1) throw new ArgumentException($"kernel must be at least 1×1, got {kernelH}×{kernelW}");
        if (stride < 1) throw new ArgumentException($"stride must be positive, got {stride}");
        if (padding < 0) throw new ArgumentException($"padding cannot be negative, got {padding}");
        if (groups < 1 || c % groups != 0 || k % groups != 0)
            throw new ArgumentException($"groups ({groups}) must divide both C ({c}) and K ({k})");
        if (h + 2 * padding < kernelH || w + 2 * padding < kernelW)
            throw new ArgumentException(
                $"a {kernelH}×{kernelW} kernel does not fit the {h}×{w} input with padding {padding}");
        C = c;
        K = k;
        H = h;
        W = w;
        KernelH = kernelH;
        KernelW = kernelW;
        Stride = stride;
        Padding = padding;
        Groups = groups;
    }

    public int C { get; }
    public int K { get; }
    public int H { get; }
    public int W { get; }
    public int KernelH { get; }
    public int KernelW { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int Groups { get; }

    public int OutH => (H + 2 * Padding - KernelH) / Stride + 1;
    public int OutW => (W + 2 * Padding - KernelW) / Stride + 1;
    public int InputChannelsPerGroup => C / Groups;
    public int OutputChannelsPerGroup => K / Groups;
    public int InputLength => C * H * W;
    public int OutputLength => K * OutH * OutW;
    public int WeightLength => K * InputChannelsPerGroup * KernelH * KernelW;

    /// <summary>The im2col product of one group: (K/G) × (C/G·kh·kw) · (C/G·kh·kw) × (OutH·OutW).</summary>
    public MatMulShape GroupMatMul => new(OutputChannelsPerGroup, InputChannelsPerGroup * KernelH * KernelW, OutH * OutW);

    public long MultiplyAccumulates => (long)Groups * GroupMatMul.MultiplyAccumulates;

    public override string ToString() =>
        $"conv {C}→{K} {H}×{W} k{KernelH}×{KernelW} s{Stride} p{Padding}" + (Groups > 1 ? $" g{Groups}" : "");
}
