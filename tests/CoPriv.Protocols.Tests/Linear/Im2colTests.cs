using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

public class Im2colTests
{
    private static readonly Ring Ring = new(41);

    [Theory]
    [InlineData(3, 16, 8, 8, 3, 1, 1, 1)]
    [InlineData(5, 7, 9, 11, 3, 2, 1, 1)]
    [InlineData(4, 6, 7, 7, 1, 1, 0, 2)]
    [InlineData(6, 6, 9, 8, 3, 2, 1, 6)]
    [InlineData(2, 4, 5, 5, 5, 1, 2, 1)]
    public void Weights_times_patches_equal_the_direct_convolution(int c, int k, int h, int w, int kernel, int stride, int padding, int groups)
    {
        var shape = new ConvShape(c, k, h, w, kernel, kernel, stride, padding, groups);
        var weights = LinearTestData.Uniform(Ring, shape.WeightLength, 31);
        var input = LinearTestData.Uniform(Ring, shape.InputLength, 32);
        var mm = shape.GroupMatMul;
        var output = new ulong[shape.OutputLength];
        var patches = new ulong[mm.D2 * mm.D3];
        for (int g = 0; g < shape.Groups; g++)
        {
            Im2col.Patches(shape, input, g, patches);
            RingMatrix.Multiply(Ring, weights.AsSpan(g * mm.D1 * mm.D2, mm.D1 * mm.D2), patches, mm.D1, mm.D2, mm.D3,
                output.AsSpan(g * mm.D1 * mm.D3, mm.D1 * mm.D3));
        }
        Assert.Equal(ConvolutionReference.Direct(Ring, shape, weights, input), output);
    }

    [Fact]
    public void Conv_shape_rejects_groups_that_do_not_divide_the_channels()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConvShape(6, 4, 8, 8, groups: 3));
        Assert.Contains("groups (3) must divide", e.Message);
    }
}
