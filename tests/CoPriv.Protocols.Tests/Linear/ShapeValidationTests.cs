using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The shapes refuse every impossible layer with a clear error, one bad parameter at a time (a check that only fires
/// when several are wrong would let a malformed model through), accept the smallest legal ones, and describe
/// themselves the way reports print them.
/// </summary>
public sealed class ShapeValidationTests
{
    public static TheoryData<string, Func<ConvShape>> BadConvolutions => new()
    {
        { "channels and image size must be positive", () => new ConvShape(0, 4, 8, 8) },
        { "channels and image size must be positive", () => new ConvShape(4, 0, 8, 8) },
        { "channels and image size must be positive", () => new ConvShape(4, 4, 0, 8) },
        { "channels and image size must be positive", () => new ConvShape(4, 4, 8, 0) },
        { "kernel must be at least 1×1", () => new ConvShape(4, 4, 8, 8, kernelH: 0) },
        { "kernel must be at least 1×1", () => new ConvShape(4, 4, 8, 8, kernelW: 0) },
        { "stride must be positive", () => new ConvShape(4, 4, 8, 8, stride: 0) },
        { "padding cannot be negative", () => new ConvShape(4, 4, 8, 8, padding: -1) },
        { "groups (0) must divide", () => new ConvShape(4, 4, 8, 8, groups: 0) },
        { "groups (3) must divide both C (3) and K (4)", () => new ConvShape(3, 4, 8, 8, groups: 3) },
        { "groups (2) must divide both C (3) and K (4)", () => new ConvShape(3, 4, 8, 8, groups: 2) },
        { "groups (2) must divide both C (4) and K (3)", () => new ConvShape(4, 3, 8, 8, groups: 2) },
        { "a 3×3 kernel does not fit the 1×8 input with padding 0", () => new ConvShape(4, 4, 1, 8) },
        { "a 3×3 kernel does not fit the 8×1 input with padding 0", () => new ConvShape(4, 4, 8, 1) },
    };

    [Theory]
    [MemberData(nameof(BadConvolutions))]
    public void A_convolution_with_one_impossible_parameter_is_refused_naming_it(string expected, Func<ConvShape> make)
    {
        var e = Assert.Throws<ArgumentException>(make);
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
}
