using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Bench;

/// <summary>One ResNet-32 layer shape: pre-processing bytes of im2col and the Winograd forms, and the ratios between them.</summary>
public sealed record ResNetLayerCost(string Shape, int Tiles, long Im2colBytes, long WinogradF2ClientBytes,
    long WinogradF2CheaperBytes, string F2CheaperOrientation, double F2Ratio, double F2CheaperRatio, double F2DnnAwareGain,
    long WinogradF4CheaperBytes, string F4CheaperOrientation, double F4Ratio, double F4CubicRatio,
    AccuracyReport F4Accuracy);

/// <summary>F(4,3)'s error against the direct convolution (and F(2,3)'s maximum, which must be 0).</summary>
public sealed record AccuracyReport(int ExtraScaleBits, long MaxAbsErrorUlps, double MeanAbsErrorUlps,
    double MaxAbsError, double MeanAbsError, long F2MaxAbsErrorUlps, long Outputs);

public sealed record ResNet32Report(int Ell, int Scale, IReadOnlyList<ResNetLayerCost> Layers);

/// <summary>
/// The cost model's comparison of im2col and Winograd on ResNet-32's 3×3 stride-1 layer shapes, with F(4,3)'s
/// cleartext accuracy: `copriv bench conv --resnet32`. Nothing runs between parties; the bytes are the protocols'
/// own cost functions.
/// </summary>
public static class ResNet32WinogradComparison
{
    /// <summary>ResNet-32's three 3×3 stride-1 layer shapes: 16ch 32×32, 32ch 16×16, 64ch 8×8, padding 1.</summary>
    public static ResNet32Report Compare(FixedPoint format, int? extraBits, ulong seed)
    {
        var layers = new List<ResNetLayerCost>();
        foreach (var (ch, size) in new[] { (16, 32), (32, 16), (64, 8) })
        {
            var shape = new ConvShape(ch, ch, size, size, padding: 1);
            var client = new LinearLayerOptions(format, OrientationPolicy.ClientReceives);
            var cheaper = new LinearLayerOptions(format, OrientationPolicy.Cheaper);
            long im2col = ConvolutionProtocol.CostOf(shape, client).PreprocessingBytes;
            long f2Client = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F2x2, client).PreprocessingBytes;
            long f2Cheaper = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F2x2, cheaper).PreprocessingBytes;
            long f4Cheaper = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F4x4, cheaper).PreprocessingBytes;
            long f4Client = WinogradConvolutionProtocol.CostOf(shape, WinogradTile.F4x4, client).PreprocessingBytes;
            var f2 = WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F2x2, cheaper);
            var f4 = WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F4x4, cheaper, extraBits);
            layers.Add(new ResNetLayerCost(shape.ToString(), f2.Tiles, im2col, f2Client, f2Cheaper, f2.Orientation.ToString(),
                (double)im2col / f2Client, (double)im2col / f2Cheaper, (double)f2Client / f2Cheaper, f4Cheaper, f4.Orientation.ToString(),
                (double)im2col / f4Cheaper, (double)im2col / f4Client,
                Accuracy(shape, format, f4.Transform, seed)));
        }
        return new ResNet32Report(format.Ring.Bits, format.Scale, layers);
    }

    /// <summary>
    /// F(4,3)'s error against the direct convolution after truncation, on weights uniform in ±0.25 and inputs in ±1
    /// (and F(2,3)'s, which must be 0), in units of the last place 2^−s.
    /// </summary>
    private static AccuracyReport Accuracy(ConvShape shape, FixedPoint format, WinogradTransform f4, ulong seed)
    {
        var ring = format.Ring;
        var weights = RandomSignedValues.Draw(shape.WeightLength, 1L << (format.Scale - 2), seed, 21);
        var raw = RandomSignedValues.Draw(shape.InputLength, 1L << format.Scale, seed, 22);
        var x = new ulong[raw.Length];
        for (int i = 0; i < x.Length; i++) x[i] = ring.FromSigned(raw[i]);
        var direct = ConvolutionReference.Truncate(ring,
            ConvolutionReference.Direct(ring, shape, RingMatrix.FromSigned(ring, weights), x), format.Scale);
        var w4 = ConvolutionReference.Truncate(ring, ConvolutionReference.Winograd(ring, shape, f4, weights, x),
            format.Scale + f4.ExtraScaleBits);
        var f2 = WinogradTransform.For(WinogradTile.F2x2);
        var w2 = ConvolutionReference.Truncate(ring, ConvolutionReference.Winograd(ring, shape, f2, weights, x),
            format.Scale + f2.ExtraScaleBits);
        long max = 0, max2 = 0, total = 0;
        for (int i = 0; i < direct.Length; i++)
        {
            long d = Math.Abs(ring.ToSigned(w4[i]) - ring.ToSigned(direct[i]));
            max = Math.Max(max, d);
            total += d;
            max2 = Math.Max(max2, Math.Abs(ring.ToSigned(w2[i]) - ring.ToSigned(direct[i])));
        }
        double mean = (double)total / direct.Length;
        return new AccuracyReport(f4.ExtraScaleBits, max, mean, max / format.Unit, mean / format.Unit, max2, direct.Length);
    }
}
