using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// Linear steps that need no communication: each party applies them to its own share, and the shares still add
/// up to the cleartext result. Nothing is learned.
/// </summary>
public static class LocalLinearOps
{
    /// <summary>
    /// Residual connection: a + b on shares. The operands may still owe different truncations (e.g. a block input at
    /// scale s and a convolution output at scale 2s owing s bits): the one owing fewer bits is lifted by the
    /// difference (a local multiplication by a power of two), so the sum owes the larger shift.
    /// </summary>
    public static LinearLayerOutput ResidualAdd(Ring ring, LinearLayerOutput a, LinearLayerOutput b)
    {
        if (a.Share.Length != b.Share.Length)
            throw new ArgumentException($"residual operands differ in length: {a.Share.Length} and {b.Share.Length}");
        int shift = Math.Max(a.PendingShift, b.PendingShift);
        var sum = new ulong[a.Share.Length];
        ring.ShiftLeft(a.Share, shift - a.PendingShift, sum);
        var lifted = new ulong[b.Share.Length];
        ring.ShiftLeft(b.Share, shift - b.PendingShift, lifted);
        ring.Add(sum, lifted, sum);
        return new LinearLayerOutput(sum, shift);
    }

    /// <summary>
    /// The local half of average pooling: the sum of each window (C × OutH × OutW, windows of kernel×kernel with the
    /// given stride and zero padding, padding counted in the divisor). The exact division by
    /// <see cref="PoolSum.Divisor"/> is a non-linear protocol of its own.
    /// </summary>
    public static PoolSum AveragePoolSum(Ring ring, int channels, int height, int width, int kernel, int stride, int padding,
        ReadOnlySpan<ulong> share)
    {
        if (channels < 1 || height < 1 || width < 1 || kernel < 1 || stride < 1 || padding < 0)
            throw new ArgumentException($"invalid pooling: {channels}×{height}×{width}, kernel {kernel}, stride {stride}, padding {padding}");
        if (share.Length != channels * height * width)
            throw new ArgumentException($"the share has {share.Length} elements, {channels}×{height}×{width} expected");
        if (height + 2 * padding < kernel || width + 2 * padding < kernel)
            throw new ArgumentException($"a {kernel}×{kernel} window does not fit {height}×{width} with padding {padding}");
        int outH = (height + 2 * padding - kernel) / stride + 1, outW = (width + 2 * padding - kernel) / stride + 1;
        var sums = new ulong[channels * outH * outW];
        for (int c = 0; c < channels; c++)
        {
            var plane = share.Slice(c * height * width, height * width);
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                {
                    ulong s = 0;
                    for (int u = 0; u < kernel; u++)
                    {
                        int y = oy * stride - padding + u;
                        if ((uint)y >= (uint)height) continue;
                        for (int v = 0; v < kernel; v++)
                        {
                            int x = ox * stride - padding + v;
                            if ((uint)x < (uint)width) s += plane[y * width + x];
                        }
                    }
                    sums[(c * outH + oy) * outW + ox] = s & ring.Mask;
                }
        }
        return new PoolSum(sums, kernel * kernel, outH, outW);
    }
}
