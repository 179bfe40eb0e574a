using CoPriv.Network.Links;

namespace CoPriv.Network;

/// <summary>
/// The network part of a run's configuration: a preset, optionally overridden by a custom bandwidth, round-trip
/// time, jitter and/or loss rate, and the mode. Built from the strings of the HOCON files (<c>copriv.network</c> in
/// hocon/base.conf and hocon/presets.conf) and of the command line (<c>--network wan --bandwidth 100mbit
/// --rtt 20ms --jitter 2ms --loss 0.01% --mode emulate</c>); every malformed value fails with one message naming it
/// and the accepted forms.
/// </summary>
public sealed record NetworkSettings(string Preset, Bandwidth Bandwidth, TimeSpan RoundTripTime, NetworkMode Mode)
{
    /// <summary>Mean extra delay per message (<see cref="LinkModel.Jitter"/>).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Packet loss rate (<see cref="LinkModel.Loss"/>).</summary>
    public double Loss { get; init; }

    public static NetworkSettings Default { get; } = From(LinkPresets.Lan, NetworkMode.Simulate);

    /// <summary>True when a bandwidth or round-trip time other than the preset's was given.</summary>
    public bool IsCustom { get; init; }

    /// <summary>The link these settings describe, named after the preset, or "custom" when a value was overridden.</summary>
    public LinkModel Link => LinkModel.FromRoundTrip(IsCustom ? "custom" : Preset, Bandwidth, RoundTripTime, Jitter, Loss);

    public static NetworkSettings From(LinkModel preset, NetworkMode mode) =>
        new(preset.Name, preset.Bandwidth, preset.RoundTripTime, mode) { Jitter = preset.Jitter, Loss = preset.Loss };

    /// <summary>
    /// Settings from strings; null or empty means "not given". The preset (default "lan") comes from
    /// <paramref name="presets"/> (default <see cref="LinkPresets.All"/>), then <paramref name="bandwidth"/> and
    /// <paramref name="rtt"/> replace its values, and <paramref name="mode"/> (default "simulate") is "simulate" or
    /// "emulate".
    /// </summary>
    public static NetworkSettings Parse(string? preset = null, string? bandwidth = null, string? rtt = null,
        string? mode = null, IReadOnlyCollection<LinkModel>? presets = null, string? jitter = null, string? loss = null)
    {
        presets ??= LinkPresets.All;
        string presetName = string.IsNullOrWhiteSpace(preset) ? LinkPresets.Lan.Name : preset.Trim();
        var basis = presets.FirstOrDefault(p => string.Equals(p.Name, presetName, StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException(
                $"unknown network preset '{presetName}'; known presets: {string.Join(", ", presets.Select(p => p.Name))}");
        var rate = string.IsNullOrWhiteSpace(bandwidth) ? basis.Bandwidth : Bandwidth.Parse(bandwidth);
        var roundTrip = string.IsNullOrWhiteSpace(rtt) ? basis.RoundTripTime : Latency.Parse(rtt);
        var extraDelay = string.IsNullOrWhiteSpace(jitter) ? basis.Jitter : Latency.Parse(jitter);
        double lossRate = string.IsNullOrWhiteSpace(loss) ? basis.Loss : ParseLoss(loss);
        return new NetworkSettings(basis.Name, rate, roundTrip,
            string.IsNullOrWhiteSpace(mode) ? NetworkMode.Simulate : ParseMode(mode))
        {
            Jitter = extraDelay,
            Loss = lossRate,
            IsCustom = rate != basis.Bandwidth || roundTrip != basis.RoundTripTime || extraDelay != basis.Jitter || lossRate != basis.Loss,
        };
    }

    /// <summary>A loss rate: a probability below 1 ("0.001") or a percentage below 100 ("0.1%").</summary>
    public static double ParseLoss(string text)
    {
        var trimmed = text.Trim();
        bool percent = trimmed.EndsWith('%');
        var number = percent ? trimmed[..^1].TrimEnd() : trimmed;
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value)
            || !(value >= 0) || (percent ? value >= 100 : value >= 1))
            throw new FormatException($"'{text}' is not a loss rate: expected a probability below 1 or a percentage below 100, e.g. 0.001 or 0.1%");
        return percent ? value / 100 : value;
    }

    public static NetworkMode ParseMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "simulate" => NetworkMode.Simulate,
        "emulate" => NetworkMode.Emulate,
        _ => throw new FormatException($"'{text}' is not a network mode: expected 'simulate' or 'emulate'"),
    };

    public override string ToString() =>
        $"{Link} {Mode.ToString().ToLowerInvariant()}";
}
