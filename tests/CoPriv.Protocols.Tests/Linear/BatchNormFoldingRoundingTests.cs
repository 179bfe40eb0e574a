using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The server's BatchNorm arithmetic on its own secret weights, value by value: folding rounds a·W / 2^s to nearest with
/// ties away from zero on both signs (checked against decimal arithmetic), overflows loudly, and the statistics give
/// b = β − μ·a. The folding test of the layer only bounds the error by half a unit, which every rounding mode meets, so
/// mutation testing found the rounding itself unpinned.
/// </summary>
public class BatchNormFoldingRoundingTests
{
    private static readonly ConvShape Pointwise = new(1, 1, 1, 1, kernelH: 1, kernelW: 1);

    /// <summary>round(w·a / 2^s), ties away from zero, in decimal arithmetic (exact for these magnitudes).</summary>
    private static long Expected(long w, long a, int scaleBits) =>
        (long)Math.Round((decimal)w * a / (decimal)Math.Pow(2, scaleBits), MidpointRounding.AwayFromZero);

    [Theory]
    [InlineData(3, 1, 1)]      // 1.5 → 2
    [InlineData(-3, 1, 1)]     // −1.5 → −2
    [InlineData(5, 1, 2)]      // 1.25 → 1
    [InlineData(-5, 1, 2)]     // −1.25 → −1
    [InlineData(7, 1, 2)]      // 1.75 → 2
    [InlineData(-7, 1, 2)]     // −1.75 → −2
    [InlineData(6, 1, 2)]      // 1.5 → 2
    [InlineData(-6, 1, 2)]     // −1.5 → −2
    [InlineData(1234567, -89, 0)]
    [InlineData(-1234567, -89, 0)]
    [InlineData(0, 12345, 11)]
    [InlineData(3_000_001, 2049, 11)]
    [InlineData(-3_000_001, 2049, 11)]
    public void Folded_weights_and_bias_are_a_times_w_over_2_to_the_s_rounded_half_away_from_zero(long w, long a, int scaleBits)
    {
        const long shift = 7;
        var (weights, bias) = BatchNormFolding.FoldIntoConvolution(Pointwise, scaleBits, [w], [w], [a], [shift]);

        Assert.Equal(Expected(w, a, scaleBits), weights[0]);
        Assert.Equal(Expected(w, a, scaleBits) + shift, bias[0]);
    }

    [Fact]
    public void Without_a_convolution_bias_the_folded_bias_is_the_shift()
    {
        var (_, bias) = BatchNormFolding.FoldIntoConvolution(Pointwise, 11, [1000], [], [3000], [-42]);
        Assert.Equal(-42, bias[0]);
    }

    [Fact]
    public void A_folded_weight_beyond_64_bits_overflows_instead_of_wrapping()
    {
        Assert.Throws<OverflowException>(() => BatchNormFolding.FoldIntoConvolution(Pointwise, 0, [1L << 40], [], [1L << 40], [0]));
    }

    [Theory]
    [InlineData(2, 1, "expects K·(C/G)·kh·kw = 1")]
    [InlineData(1, 2, "the bias has 2 values")]
    public void Folding_refuses_weights_or_bias_of_the_wrong_count(int weights, int bias, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            BatchNormFolding.FoldIntoConvolution(Pointwise, 11, new long[weights], new long[bias], [1], [0]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_shift_is_beta_minus_mean_times_a()
    {
        // a = 3 / √(3 + 1) = 1.5; b = 0.5 − 2·1.5 = −2.5; at s = 4: 24 and −40.
        var (scale, shift) = BatchNormFolding.FromStatistics(new FixedPoint(41, 4), [3.0], [0.5], [2.0], [3.0], epsilon: 1.0);
        Assert.Equal(24, scale[0]);
        Assert.Equal(-40, shift[0]);
    }

    [Fact]
    public void A_variance_plus_epsilon_of_exactly_zero_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            BatchNormFolding.FromStatistics(new FixedPoint(41, 11), [1.0], [0.0], [0.0], [0.0], epsilon: 0.0));
        Assert.Contains("is not positive", e.Message);
    }
}
