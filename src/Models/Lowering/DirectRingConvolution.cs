using System.Numerics;
using System.Runtime.InteropServices;
using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Lowering;

/// <summary>
/// The exact ring convolution as an im2col matrix product per group, computed modulo 2^64 and reduced to ℓ bits at
/// the end (exact because 2^ℓ divides 2^64). This is what CrypTFlow2's OT-based convolution reveals in shares.
/// </summary>
public sealed class DirectRingConvolution : IRingConvolution
{
    public static DirectRingConvolution Instance { get; } = new();

    public string Name => "im2col";

    public bool Supports(ConvolutionGeometry geometry) => true;

    public int ExtraScaleBits(ConvolutionGeometry geometry) => 0;

    public void Convolve(Ring ring, ConvolutionGeometry g, ReadOnlySpan<ulong> input, ReadOnlySpan<ulong> weights, Span<ulong> output)
    {
        if (input.Length != g.InputShape.ElementCount || weights.Length != g.WeightCount || output.Length != g.OutputShape.ElementCount)
            throw new ArgumentException(
                $"convolution buffers have {input.Length} inputs, {weights.Length} weights, {output.Length} outputs; geometry needs {g.InputShape.ElementCount}, {g.WeightCount}, {g.OutputShape.ElementCount}");
        int pixels = g.OutputPixels, patch = g.PatchSize, outPerGroup = g.OutChannelsPerGroup;
        var columns = new ulong[patch * pixels];
        output.Clear();
        for (int group = 0; group < g.Groups; group++)
        {
            Im2Col.Fill(input, g, group, columns);
            for (int ol = 0; ol < outPerGroup; ol++)
            {
                int o = group * outPerGroup + ol;
                var row = output.Slice(o * pixels, pixels);
                var w = weights.Slice(o * patch, patch);
                for (int k = 0; k < patch; k++)
                    if (w[k] != 0) Axpy(w[k], columns.AsSpan(k * pixels, pixels), row);
            }
        }
        ring.Reduce(output);
    }

    private static void Axpy(ulong a, ReadOnlySpan<ulong> x, Span<ulong> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<ulong>.Count)
        {
            var va = new Vector<ulong>(a);
            var vx = MemoryMarshal.Cast<ulong, Vector<ulong>>(x);
            var vy = MemoryMarshal.Cast<ulong, Vector<ulong>>(y);
            for (int k = 0; k < vx.Length; k++) vy[k] += va * vx[k];
            i = vx.Length * Vector<ulong>.Count;
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }
}
