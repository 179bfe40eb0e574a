using CoPriv.Models.Graph;

namespace CoPriv.Models.Execution;

/// <summary>
/// The im2col rearrangement of one convolution group: a [patch, output pixels] matrix whose row
/// (c·kh + u)·kw + v holds input channel c of the group shifted by kernel tap (u, v), zero where the tap falls in
/// the padding. Row order matches the weight layout [out, in/groups, kh, kw], so a group's convolution is the matrix
/// product weights[out of group, patch] · columns. Generic so that the float executor and the exact ring
/// convolution share it.
/// </summary>
internal static class Im2Col
{
    public static void Fill<T>(ReadOnlySpan<T> input, ConvolutionGeometry g, int group, Span<T> columns) where T : struct
    {
        int outH = g.OutHeight, outW = g.OutWidth, pixels = outH * outW;
        int inH = g.InHeight, inW = g.InWidth, perGroup = g.InChannelsPerGroup;
        if (columns.Length != g.PatchSize * pixels)
            throw new ArgumentException($"im2col buffer has {columns.Length} entries, needs {g.PatchSize * pixels}");
        for (int ci = 0; ci < perGroup; ci++)
        {
            var plane = input.Slice((group * perGroup + ci) * inH * inW, inH * inW);
            for (int u = 0; u < g.KernelHeight; u++)
            for (int v = 0; v < g.KernelWidth; v++)
            {
                var row = columns.Slice(((ci * g.KernelHeight + u) * g.KernelWidth + v) * pixels, pixels);
                for (int y = 0; y < outH; y++)
                {
                    int iy = y * g.StrideHeight - g.Padding.Top + u;
                    var dst = row.Slice(y * outW, outW);
                    if (iy < 0 || iy >= inH)
                    {
                        dst.Clear();
                        continue;
                    }
                    var src = plane.Slice(iy * inW, inW);
                    int ix = v - g.Padding.Left;
                    for (int x = 0; x < outW; x++, ix += g.StrideWidth)
                        dst[x] = (uint)ix < (uint)inW ? src[ix] : default;
                }
            }
        }
    }
}
