using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Tests.Core;

public class FixedPointTests
{
    [Theory]
    [InlineData(41, 11)]
    [InlineData(32, 12)]
    [InlineData(64, 20)]
    public void Encode_then_decode_is_within_half_an_ulp(int bits, int scale)
    {
        var fp = new FixedPoint(bits, scale);
        var rng = new Random(scale);
        for (int i = 0; i < 1000; i++)
        {
            double v = (rng.NextDouble() - 0.5) * 200;
            Assert.InRange(Math.Abs(fp.Decode(fp.Encode(v)) - v), 0, 0.5 / fp.Unit + 1e-12);
        }
    }

    [Fact]
    public void Negative_values_encode_as_twos_complement()
    {
        var fp = new FixedPoint(41, 11);
        Assert.Equal(fp.Ring.Mask - 2047, fp.Encode(-1.0));
        Assert.Equal(2048UL, fp.Encode(1.0));
        Assert.Equal(-1.0, fp.Decode(fp.Encode(-1.0)));
    }

    [Theory]
    [InlineData(41, 41)]
    [InlineData(41, -1)]
    [InlineData(8, 9)]
    public void Rejects_a_scale_that_does_not_fit_the_ring(int bits, int scale)
    {
        var e = Assert.Throws<ArgumentException>(() => new FixedPoint(bits, scale));
        Assert.Contains("scale", e.Message);
    }

    [Fact]
    public void Rejects_non_finite_values()
    {
        var fp = new FixedPoint(41, 11);
        Assert.Throws<ArgumentException>(() => fp.Encode(double.NaN));
        Assert.Throws<ArgumentException>(() => fp.Encode(double.PositiveInfinity));
    }
}
