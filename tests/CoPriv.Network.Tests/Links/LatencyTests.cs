using CoPriv.Network.Links;

namespace CoPriv.Network.Tests.Links;

public class LatencyTests
{
    [Theory]
    [InlineData("20ms", 0.020)]
    [InlineData("0.3ms", 0.0003)]
    [InlineData("1s", 1)]
    [InlineData("150us", 0.000150)]
    [InlineData("150µs", 0.000150)]
    [InlineData("500ns", 0.0000005)]
    [InlineData("0ms", 0)]
    [InlineData(" 40 ms ", 0.040)]
    [InlineData("1.5sec", 1.5)]
    public void Parses_numbers_with_a_time_unit(string text, double seconds)
    {
        Assert.Equal(Latency.FromSeconds(seconds), Latency.Parse(text));
    }

    [Theory]
    [InlineData("20")]
    [InlineData("")]
    [InlineData("ms")]
    [InlineData("-1ms")]
    [InlineData("20 minutes")]
    [InlineData("20mbit")]
    [InlineData("1e30s")]
    public void Malformed_strings_fail_naming_the_value_and_the_accepted_forms(string text)
    {
        var e = Assert.Throws<FormatException>(() => Latency.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains("20ms", e.Message);
        Assert.Contains("0.3ms", e.Message);
    }

    [Fact]
    public void Sub_millisecond_values_are_kept_exactly_to_the_tick()
    {
        Assert.Equal(1500, Latency.Parse("0.15ms").Ticks);
        Assert.Equal("0.3 ms", Latency.Format(Latency.Parse("0.3ms")));
        Assert.Equal("40 ms", Latency.Format(Latency.Parse("40ms")));
        Assert.Equal("1.5 s", Latency.Format(Latency.Parse("1500ms")));
    }
}
