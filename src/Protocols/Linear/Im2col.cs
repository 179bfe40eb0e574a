namespace CoPriv.Protocols.Linear;

/// <summary>
/// Lays the input patches of one channel group out as a matrix, so that a convolution becomes one matrix product
/// per group. Works on any ring share (or cleartext): it only copies, padding positions are 0.
/// </summary>
public static class Im2col
{
    /// <summary>
    /// The patch matrix of group g, transposed: (OutH·OutW) rows, one per output pixel, each holding the
    /// (C/G)·kh·kw taps in (channel, row, column) order — the layout of the KCRS weight rows.
    /// </summary>
    public static void PatchesByPixel(ConvShape shape, ReadOnlySpan<ulong> input, int group, Span<ulong> dst)
    {
        CheckInput(shape, input, group);
        int cg = shape.InputChannelsPerGroup, kh = shape.KernelH, kw = shape.KernelW;
        int taps = cg * kh * kw, outH = shape.OutH, outW = shape.OutW;
        if (dst.Length != (long)taps * outH * outW)
            throw new ArgumentException($"the patch matrix has {dst.Length} elements, expected {(long)taps * outH * outW}");
        int c0 = group * cg;
        for (int oy = 0; oy < outH; oy++)
        {
            for (int ox = 0; ox < outW; ox++)
            {
                var row = dst.Slice((oy * outW + ox) * taps, taps);
                int t = 0;
                for (int c = 0; c < cg; c++)
                {
                    var plane = input.Slice((c0 + c) * shape.H * shape.W, shape.H * shape.W);
                    for (int u = 0; u < kh; u++)
                    {
                        int y = oy * shape.Stride - shape.Padding + u;
                        bool rowInside = (uint)y < (uint)shape.H;
                        for (int v = 0; v < kw; v++)
                        {
                            int x = ox * shape.Stride - shape.Padding + v;
                            row[t++] = rowInside && (uint)x < (uint)shape.W ? plane[y * shape.W + x] : 0;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The patch matrix of group g: (C/G)·kh·kw rows, (OutH·OutW) columns.</summary>
    public static void Patches(ConvShape shape, ReadOnlySpan<ulong> input, int group, Span<ulong> dst)
    {
        var mm = shape.GroupMatMul;
        var byPixel = new ulong[dst.Length];
        PatchesByPixel(shape, input, group, byPixel);
        RingMatrix.Transpose(byPixel, mm.D3, mm.D2, dst);
    }

    private static void CheckInput(ConvShape shape, ReadOnlySpan<ulong> input, int group)
    {
        if (input.Length != shape.InputLength)
            throw new ArgumentException($"the input has {input.Length} elements, {shape} expects {shape.InputLength}");
        if (group < 0 || group >= shape.Groups)
            throw new ArgumentException($"group {group} is outside 0..{shape.Groups - 1}");
    }
}
