using CoPriv.Network.Links;

namespace CoPriv.Network.Tests;

public class NetworkSettingsTests
{
    [Fact]
    public void Defaults_are_the_lan_preset_in_simulation()
    {
        var s = NetworkSettings.Parse();
        Assert.Equal(NetworkSettings.Default, s);
        Assert.Equal(LinkPresets.Lan, s.Link);
        Assert.Equal(NetworkMode.Simulate, s.Mode);
    }

    [Fact]
    public void Custom_values_override_the_preset_and_rename_the_link()
    {
        var s = NetworkSettings.Parse("wan", "100mbit", null, "emulate");
        Assert.Equal("wan", s.Preset);
        Assert.Equal(NetworkMode.Emulate, s.Mode);
        Assert.Equal("custom", s.Link.Name);
        Assert.Equal(12.5e6, s.Link.Bandwidth.BytesPerSecond, 6);
        Assert.Equal(TimeSpan.FromMilliseconds(40), s.Link.RoundTripTime);
        Assert.Equal(LinkPresets.Wan, NetworkSettings.Parse("WAN").Link);
    }

    [Theory]
    [InlineData("moon", null, null, null, "'moon'")]
    [InlineData("lan", "fast", null, null, "'fast'")]
    [InlineData("lan", null, "20", null, "'20'")]
    [InlineData("lan", null, null, "replay", "'replay'")]
    public void Each_malformed_value_is_named_in_the_error(string? preset, string? bandwidth, string? rtt, string? mode, string named)
    {
        var e = Assert.Throws<FormatException>(() => NetworkSettings.Parse(preset, bandwidth, rtt, mode));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Presets_can_come_from_configuration()
    {
        var lab = LinkModel.Parse("lab", "10gbit", "0.1ms");
        var s = NetworkSettings.Parse("lab", presets: [lab]);
        Assert.Equal(lab, s.Link with { });
        Assert.Throws<FormatException>(() => NetworkSettings.Parse("lan", presets: [lab]));
    }
}
