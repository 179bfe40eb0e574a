using CoPriv.Network.Links;

namespace CoPriv.Network.Tests.Links;

/// <summary>
/// Jitter delays messages by a seeded exponential draw and never reorders a direction; loss limits a link to the
/// Mathis bound of a TCP flow, MSS / RTT · √(3 / (2p)), where that is below the bandwidth.
/// </summary>
public class JitterAndLossTests
{
    private static readonly Bandwidth Wan = Bandwidth.Parse("400Mbit/s");

    [Fact]
    public void Loss_limits_the_link_to_the_mathis_bound_of_a_tcp_flow()
    {
        var link = LinkModel.FromRoundTrip("wan", Wan, TimeSpan.FromMilliseconds(40), loss: 1e-4);
        // 1460 B / 0.04 s · √(3 / 0.0002) = 36,500 · 122.47 B/s ≈ 35.76 Mbit/s.
        double expected = 1460 / 0.04 * Math.Sqrt(3 / (2 * 1e-4));
        Assert.Equal(expected, link.EffectiveBandwidth.BytesPerSecond, 6);
        Assert.Equal(1_000_000 / expected, link.TransmissionSeconds(1_000_000), 9);
        Assert.Equal(Wan, LinkModel.FromRoundTrip("wan", Wan, TimeSpan.FromMilliseconds(40)).EffectiveBandwidth);
        // A loss too small to bind leaves the bandwidth; no latency means no Mathis limit in this model.
        Assert.Equal(Wan, LinkModel.FromRoundTrip("wan", Wan, TimeSpan.FromMilliseconds(40), loss: 1e-12).EffectiveBandwidth);
        Assert.Equal(Wan, LinkModel.FromRoundTrip("lan", Wan, TimeSpan.Zero, loss: 0.01).EffectiveBandwidth);
        Assert.Equal(expected, LinkModel.FromRoundTrip("x", Bandwidth.Unlimited, TimeSpan.FromMilliseconds(40), loss: 1e-4).EffectiveBandwidth.BytesPerSecond, 6);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_loss_rate_outside_zero_to_one_is_refused(double loss)
    {
        var e = Assert.Throws<ArgumentException>(() => LinkModel.FromRoundTrip("x", Wan, TimeSpan.FromMilliseconds(40), loss: loss));
        Assert.Contains("loss rate", e.Message);
    }

    [Fact]
    public void Jitter_adds_a_seeded_exponential_delay_and_keeps_each_direction_in_order()
    {
        var link = LinkModel.FromRoundTrip("wan", Bandwidth.Unlimited, TimeSpan.FromMilliseconds(40), jitter: TimeSpan.FromMilliseconds(2));
        var a = new LinkDirection(link, seed: 7);
        var b = new LinkDirection(link, seed: 7);
        var other = new LinkDirection(link, seed: 8);
        const int n = 20_000;
        double previous = 0, extra = 0;
        bool differs = false;
        for (int i = 0; i < n; i++)
        {
            // Sent 1 ms apart for the first half (later draws often wait for an earlier message: order holds),
            // 50 ms apart after that (none waits: the draws show as they are).
            double sent = i < n / 2 ? i * 1e-3 : n / 2 * 1e-3 + (i - n / 2) * 0.05;
            double arrival = a.Transmit(sent, 100);
            Assert.Equal(arrival, b.Transmit(sent, 100));
            differs |= other.Transmit(sent, 100) != arrival;
            Assert.True(arrival >= previous, "a direction delivers in order");
            Assert.True(arrival >= sent + 0.02, "jitter only adds delay");
            previous = arrival;
            if (i > n / 2) extra += arrival - sent - 0.02;
        }
        Assert.True(differs);
        // Mean 2 ms over 9,999 free draws: within 5 %.
        Assert.InRange(extra / (n / 2 - 1), 0.0019, 0.0021);
    }

    [Fact]
    public void Without_jitter_arrivals_are_exactly_transmission_plus_latency()
    {
        var link = LinkModel.FromRoundTrip("wan", Wan, TimeSpan.FromMilliseconds(40));
        var direction = new LinkDirection(link, seed: 3);
        Assert.Equal(0.02 + 50_000 / Wan.BytesPerSecond, direction.Transmit(0, 50_000), 12);
    }

    [Theory]
    [InlineData("0.001", 0.001)]
    [InlineData("0.1%", 0.001)]
    [InlineData(" 0.01 % ", 0.0001)]
    [InlineData("0", 0.0)]
    public void Loss_rates_are_probabilities_or_percentages(string text, double expected)
    {
        Assert.Equal(expected, NetworkSettings.ParseLoss(text), 12);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("100%")]
    [InlineData("-0.1")]
    [InlineData("lots")]
    public void Other_loss_rates_are_one_error_naming_the_value(string text)
    {
        var e = Assert.Throws<FormatException>(() => NetworkSettings.ParseLoss(text));
        Assert.Equal($"'{text}' is not a loss rate: expected a probability below 1 or a percentage below 100, e.g. 0.001 or 0.1%", e.Message);
    }

    [Fact]
    public void Settings_take_jitter_and_loss_over_the_preset_and_say_so_in_the_link()
    {
        var settings = NetworkSettings.Parse("wan", jitter: "2ms", loss: "0.01%");
        Assert.True(settings.IsCustom);
        Assert.Equal(TimeSpan.FromMilliseconds(2), settings.Link.Jitter);
        Assert.Equal(1e-4, settings.Link.Loss, 12);
        Assert.Contains("jitter 2 ms, loss 0.01 %", settings.Link.ToString());
        Assert.False(NetworkSettings.Parse("wan").IsCustom);
    }
}
