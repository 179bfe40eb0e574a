using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The shapes and the local linear steps refuse every impossible layer with a clear error, one bad parameter at a time
/// (a check that only fires when several are wrong would let a malformed model through), accept the smallest legal
/// ones, and describe themselves the way reports print them.
/// </summary>
public sealed class LinearArgumentValidationTests
{
    // Plain values, not delegates, so that each case is a test of its own (mutation testing attributes coverage per case).
    [Theory]
    [InlineData("channels and image size must be positive", 0, 4, 8, 8, 3, 3, 1, 0, 1)]
    [InlineData("channels and image size must be positive", 4, 0, 8, 8, 3, 3, 1, 0, 1)]
    [InlineData("channels and image size must be positive", 4, 4, 0, 8, 3, 3, 1, 0, 1)]
    [InlineData("channels and image size must be positive", 4, 4, 8, 0, 3, 3, 1, 0, 1)]
    [InlineData("kernel must be at least 1×1", 4, 4, 8, 8, 0, 3, 1, 0, 1)]
    [InlineData("kernel must be at least 1×1", 4, 4, 8, 8, 3, 0, 1, 0, 1)]
    [InlineData("stride must be positive", 4, 4, 8, 8, 3, 3, 0, 0, 1)]
    [InlineData("padding cannot be negative", 4, 4, 8, 8, 3, 3, 1, -1, 1)]
    [InlineData("groups (0) must divide", 4, 4, 8, 8, 3, 3, 1, 0, 0)]
    [InlineData("groups (3) must divide both C (3) and K (4)", 3, 4, 8, 8, 3, 3, 1, 0, 3)]
    [InlineData("groups (2) must divide both C (3) and K (4)", 3, 4, 8, 8, 3, 3, 1, 0, 2)]
    [InlineData("groups (2) must divide both C (4) and K (3)", 4, 3, 8, 8, 3, 3, 1, 0, 2)]
    [InlineData("a 3×3 kernel does not fit the 1×8 input with padding 0", 4, 4, 1, 8, 3, 3, 1, 0, 1)]
    [InlineData("a 3×3 kernel does not fit the 8×1 input with padding 0", 4, 4, 8, 1, 3, 3, 1, 0, 1)]
    public void A_convolution_with_one_impossible_parameter_is_refused_naming_it(string expected, int c, int k, int h, int w,
        int kernelH, int kernelW, int stride, int padding, int groups)
    {
        var e = Assert.Throws<ArgumentException>(() => new ConvShape(c, k, h, w, kernelH, kernelW, stride, padding, groups));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_smallest_legal_convolutions_are_accepted()
    {
        var pointwise = new ConvShape(1, 1, 1, 1, kernelH: 1, kernelW: 1);
        Assert.Equal((1, 1, 1), (pointwise.OutH, pointwise.OutW, pointwise.OutputLength));

        // The kernel exactly fits once the padding is added, on each axis alone.
        var padded = new ConvShape(2, 2, 1, 1, padding: 1);
        Assert.Equal((1, 1), (padded.OutH, padded.OutW));
        var tall = new ConvShape(2, 2, 1, 5, padding: 1);
        Assert.Equal((1, 5), (tall.OutH, tall.OutW));
        var wide = new ConvShape(2, 2, 5, 1, padding: 1);
        Assert.Equal((5, 1), (wide.OutH, wide.OutW));

        var depthwise = new ConvShape(6, 6, 4, 4, groups: 6);
        Assert.Equal((1, 1, 6 * 9), (depthwise.InputChannelsPerGroup, depthwise.OutputChannelsPerGroup, depthwise.WeightLength));
    }

    [Fact]
    public void A_convolution_describes_itself_with_its_groups_only_when_grouped()
    {
        Assert.Equal("conv 3→16 32×30 k3×3 s1 p1", new ConvShape(3, 16, 32, 30, padding: 1).ToString());
        Assert.Equal("conv 8→8 16×16 k3×1 s2 p0 g2", new ConvShape(8, 8, 16, 16, kernelH: 3, kernelW: 1, stride: 2, groups: 2).ToString());
    }

    [Theory]
    [InlineData(0, 2, 3)]
    [InlineData(1, 0, 3)]
    [InlineData(1, 2, 0)]
    [InlineData(-1, 2, 3)]
    public void A_product_with_an_empty_dimension_is_refused(int d1, int d2, int d3)
    {
        var e = Assert.Throws<ArgumentException>(() => new MatMulShape(d1, d2, d3));
        Assert.Contains("matrix dimensions must be positive", e.Message);
        Assert.Contains($"{d1}×{d2}·{d2}×{d3}", e.Message);
    }

    [Fact]
    public void The_smallest_product_is_accepted_and_describes_itself()
    {
        var one = new MatMulShape(1, 1, 1);
        Assert.Equal(1, one.MultiplyAccumulates);
        Assert.Equal("2×3×4", new MatMulShape(2, 3, 4).ToString());
        Assert.Equal(24, new MatMulShape(2, 3, 4).MultiplyAccumulates);
    }

    public static TheoryData<string, int, int, int, int, int, int> BadPools => new()
    {
        { "invalid pooling", 0, 4, 4, 2, 2, 0 },
        { "invalid pooling", 1, 0, 4, 2, 2, 0 },
        { "invalid pooling", 1, 4, 0, 2, 2, 0 },
        { "invalid pooling", 1, 4, 4, 0, 2, 0 },
        { "invalid pooling", 1, 4, 4, 2, 0, 0 },
        { "invalid pooling", 1, 4, 4, 2, 2, -1 },
        { "a 3×3 window does not fit 2×4 with padding 0", 1, 2, 4, 3, 1, 0 },
        { "a 3×3 window does not fit 4×2 with padding 0", 1, 4, 2, 3, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(BadPools))]
    public void An_average_pool_with_one_impossible_parameter_is_refused(string expected, int channels, int height, int width,
        int kernel, int stride, int padding)
    {
        var share = new ulong[Math.Max(0, channels * height * width)];
        var e = Assert.Throws<ArgumentException>(
            () => LocalLinearOps.AveragePoolSum(new Ring(20), channels, height, width, kernel, stride, padding, share));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_average_pool_refuses_a_share_of_the_wrong_length_and_fits_a_window_exactly_with_padding()
    {
        var ring = new Ring(20);
        var e = Assert.Throws<ArgumentException>(() => LocalLinearOps.AveragePoolSum(ring, 2, 3, 3, 3, 1, 0, new ulong[17]));
        Assert.Contains("the share has 17 elements, 2×3×3 expected", e.Message);
        var padded = LocalLinearOps.AveragePoolSum(ring, 1, 1, 1, 3, 1, 1, [5UL]);
        Assert.Equal((1, 1, 9), (padded.OutH, padded.OutW, padded.Divisor));
        Assert.Equal([5UL], padded.Share);
    }

    public static TheoryData<string, int, int, int> BadStatistics => new()
    {
        { "β 2", 2, 3, 3 },
        { "μ 2", 3, 2, 3 },
        { "σ² 2", 3, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(BadStatistics))]
    public void BatchNorm_statistics_of_unequal_lengths_are_refused_naming_the_short_one(string expected, int beta, int mean, int variance)
    {
        var format = new FixedPoint(41, 11);
        var e = Assert.Throws<ArgumentException>(() => BatchNormFolding.FromStatistics(format, new double[3], new double[beta],
            new double[mean], Enumerable.Repeat(1.0, variance).ToArray()));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void BatchNorm_refuses_a_variance_that_is_not_positive_with_epsilon_and_accepts_one_that_is()
    {
        var format = new FixedPoint(41, 11);
        var e = Assert.Throws<ArgumentException>(() =>
            BatchNormFolding.FromStatistics(format, [1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [1.0, -1.0], epsilon: 0));
        Assert.Contains("channel 1: σ² + ε = -1 is not positive", e.Message);
        Assert.Throws<ArgumentException>(() => BatchNormFolding.FromStatistics(format, [1.0], [0.0], [0.0], [0.0], epsilon: 0));
        var (scale, shift) = BatchNormFolding.FromStatistics(format, [1.0], [0.5], [0.0], [0.0], epsilon: 1.0);
        Assert.Equal([1L << 11], scale);
        Assert.Equal([1L << 10], shift);
    }

    [Theory]
    [InlineData(3, 4, "got 3 and 4")]
    [InlineData(4, 3, "got 4 and 3")]
    public void BatchNorm_folding_and_the_protocol_refuse_scales_or_shifts_of_the_wrong_count(int scales, int shifts, string expected)
    {
        var shape = new ConvShape(2, 4, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => BatchNormFolding.FoldIntoConvolution(shape, 11, new long[shape.WeightLength],
            ReadOnlySpan<long>.Empty, new long[scales], new long[shifts]));
        Assert.Contains(expected, e.Message);
        var options = new LinearLayerOptions(new FixedPoint(41, 11));
        e = Assert.Throws<ArgumentException>(() => BatchNormProtocol.ForServer(4, 16, new long[scales], new long[shifts], options));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(4, 0)]
    public void BatchNorm_over_no_channels_or_no_values_is_refused(int channels, int valuesPerChannel)
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11));
        var e = Assert.Throws<ArgumentException>(() => BatchNormProtocol.ForClient(channels, valuesPerChannel, options));
        Assert.Contains($"got {channels} × {valuesPerChannel}", e.Message);
        Assert.NotNull(BatchNormProtocol.ForClient(1, 1, options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(42)]
    public void A_weight_bit_width_outside_1_to_ell_is_refused(int bits)
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11));
        var e = Assert.Throws<ArgumentException>(() => options with { WeightBits = bits });
        Assert.Contains($"the weight bit-width B must be between 1 and ℓ = 41, got {bits}", e.Message);
    }

    [Fact]
    public void A_weight_bit_width_of_1_to_ell_or_none_is_accepted()
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11)) { WeightBits = 17 };
        Assert.Equal((1, 41), ((options with { WeightBits = 1 }).WeightBits, (options with { WeightBits = 41 }).WeightBits));
        Assert.Null((options with { WeightBits = null }).WeightBits);
    }
}
