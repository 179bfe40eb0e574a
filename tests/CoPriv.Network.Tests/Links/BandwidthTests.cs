using CoPriv.Network.Links;

namespace CoPriv.Network.Tests.Links;

public class BandwidthTests
{
    [Theory]
    [InlineData("100mbit", 100e6 / 8)]
    [InlineData("1gbit", 1e9 / 8)]
    [InlineData("3gbps", 3e9 / 8)]
    [InlineData("3Gbps", 3e9 / 8)]
    [InlineData("400Mbit/s", 400e6 / 8)]
    [InlineData("400 Mbit/s", 400e6 / 8)]
    [InlineData("377MB/s", 377e6)]
    [InlineData("377 MBps", 377e6)]
    [InlineData("64KiB/s", 64 * 1024.0)]
    [InlineData("1Gibit", 1024.0 * 1024 * 1024 / 8)]
    [InlineData("2.5gbit", 2.5e9 / 8)]
    [InlineData("1e3kbit", 1e6 / 8)]
    [InlineData("800bps", 100)]
    [InlineData("100bytes/s", 100)]
    [InlineData(" 10 mbits ", 10e6 / 8)]
    public void Parses_bits_and_bytes_with_decimal_and_binary_prefixes(string text, double bytesPerSecond)
    {
        Assert.Equal(bytesPerSecond, Bandwidth.Parse(text).BytesPerSecond, 6);
    }

    [Fact]
    public void Unlimited_needs_no_time_for_any_message()
    {
        var unlimited = Bandwidth.Parse("unlimited");
        Assert.True(unlimited.IsUnlimited);
        Assert.Equal(0, unlimited.SecondsFor(1L << 40));
    }

    [Theory]
    [InlineData("")]
    [InlineData("100")]
    [InlineData("mbit")]
    [InlineData("100 mb it")]
    [InlineData("-5mbit")]
    [InlineData("0mbit")]
    [InlineData("100 furlongs")]
    [InlineData("100xbit")]
    [InlineData("100mbit/h")]
    [InlineData("1,5gbit")]
    public void Malformed_strings_fail_with_one_message_naming_the_value_and_the_accepted_forms(string text)
    {
        var e = Assert.Throws<FormatException>(() => Bandwidth.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains("100mbit", e.Message);
        Assert.Contains("377MB/s", e.Message);
        Assert.False(Bandwidth.TryParse(text, out _));
    }

    [Theory]
    [InlineData("100")]
    [InlineData("2.5")]
    [InlineData("1e9")]
    public void A_number_without_a_unit_is_told_it_has_no_unit(string text)
    {
        var e = Assert.Throws<FormatException>(() => Bandwidth.Parse(text));
        Assert.StartsWith($"'{text}' is not a bandwidth: the number has no unit; expected ", e.Message);
    }

    [Theory]
    [InlineData("3gbit")]
    [InlineData("400mbit")]
    [InlineData("377MB/s")]
    [InlineData("12.5kbit")]
    public void Printed_form_parses_back_to_the_same_rate(string text)
    {
        var b = Bandwidth.Parse(text);
        Assert.Equal(b.BytesPerSecond, Bandwidth.Parse(b.ToString()).BytesPerSecond, 3);
    }

    [Fact]
    public void Transmission_time_is_bytes_over_rate()
    {
        var b = Bandwidth.Parse("400mbit");
        Assert.Equal(1.0, b.SecondsFor(50_000_000), 12);
        Assert.Equal(65536 / 50e6, b.SecondsFor(65536), 15);
    }
}
