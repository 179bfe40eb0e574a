using CoPriv.Network.Links;

namespace CoPriv.Network.Tests.Links;

public class LinkModelTests
{
    [Fact]
    public void Presets_match_the_settings_the_field_reports()
    {
        Assert.Equal(3e9, LinkPresets.Lan.Bandwidth.BitsPerSecond, 3);
        Assert.Equal(TimeSpan.FromMilliseconds(0.3), LinkPresets.Lan.RoundTripTime);
        Assert.Equal(TimeSpan.FromMilliseconds(0.15), LinkPresets.Lan.OneWayLatency);
        Assert.Equal(400e6, LinkPresets.Wan.Bandwidth.BitsPerSecond, 3);
        Assert.Equal(TimeSpan.FromMilliseconds(40), LinkPresets.Wan.RoundTripTime);
        Assert.Equal(377e6, LinkPresets.LanCf2.Bandwidth.BytesPerSecond, 3);
        Assert.Equal(TimeSpan.FromMilliseconds(0.8), LinkPresets.LanCf2.RoundTripTime);
        Assert.True(LinkPresets.Unlimited.Bandwidth.IsUnlimited);
        Assert.Equal(TimeSpan.Zero, LinkPresets.Unlimited.OneWayLatency);
    }

    [Fact]
    public void Presets_are_found_by_name_and_unknown_names_list_the_known_ones()
    {
        Assert.Same(LinkPresets.LanCf2, LinkPresets.Get("LAN-CF2"));
        var e = Assert.Throws<ArgumentException>(() => LinkPresets.Get("moon"));
        Assert.Contains("'moon'", e.Message);
        Assert.Contains("lan, wan, lan-cf2, unlimited", e.Message);
    }

    [Fact]
    public void Custom_link_from_strings_takes_half_the_round_trip_as_latency()
    {
        var link = LinkModel.Parse("custom", "100mbit", "20ms");
        Assert.Equal(12.5e6, link.Bandwidth.BytesPerSecond, 6);
        Assert.Equal(TimeSpan.FromMilliseconds(10), link.OneWayLatency);
        Assert.Equal(0.010, link.PropagationSeconds, 12);
    }

    [Fact]
    public void Sequential_lower_bound_is_bytes_over_bandwidth_plus_one_latency_per_flight()
    {
        var wan = LinkPresets.Wan;
        Assert.Equal(Latency.FromSeconds(50e6 / 50e6 + 3 * 0.020), wan.SequentialLowerBound(50_000_000, 3));
        Assert.Equal(TimeSpan.Zero, wan.SequentialLowerBound(0, 0));
    }

    [Fact]
    public void Direction_serves_messages_first_come_first_served_then_adds_latency()
    {
        var link = LinkModel.Parse("t", "8mbit", "2ms"); // 1 MB/s, 1 ms one way
        var d = new LinkDirection(link);
        Assert.Equal(0.0 + 0.001 + 0.001, d.Transmit(0.0, 1000), 12);   // alone: tx 1 ms + 1 ms
        Assert.Equal(0.002 + 0.001, d.Transmit(0.0, 1000), 12);         // queued behind the first
        Assert.Equal(0.010 + 0.0005 + 0.001, d.Transmit(0.010, 500), 12); // link idle again at 10 ms
        Assert.Equal(0.0105, d.BusyUntil, 12);
        Assert.Equal(2500, d.BytesCarried);
        Assert.Equal(3, d.MessagesCarried);
    }

    [Fact]
    public void A_message_booked_late_but_sent_early_uses_the_free_time_before_later_messages()
    {
        var d = new LinkDirection(LinkModel.Parse("t", "8mbit", "0ms")); // 1 MB/s: 1000 bytes take 1 ms
        Assert.Equal(0.011, d.Transmit(0.010, 1000), 12);   // busy 10–11 ms
        Assert.Equal(0.001, d.Transmit(0.000, 1000), 12);   // sent earlier: does not queue behind it
        Assert.Equal(0.0115, d.Transmit(0.0095, 1000), 12); // 9.5–10 ms, then 11–11.5 ms
        Assert.Equal(0.002, d.Transmit(0.0, 1000), 12);     // the first free millisecond after 0 is 1–2 ms
        Assert.Equal(0.0115, d.BusyUntil, 12);
    }

    [Fact]
    public void Unlimited_bandwidth_leaves_only_the_latency()
    {
        var d = new LinkDirection(LinkModel.Parse("t", "unlimited", "10ms"));
        Assert.Equal(1.005, d.Transmit(1.0, 1L << 30), 12);
        Assert.Equal(1.005, d.Transmit(1.0, 1L << 30), 12);
    }

    [Fact]
    public void Invalid_links_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new LinkModel("x", Bandwidth.Parse("1mbit"), TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentException>(() => new LinkModel("x", default, TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => Bandwidth.FromBytesPerSecond(0));
    }
}
