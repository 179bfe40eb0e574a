using CoPriv.Network.Links;

namespace CoPriv.Network;

/// <summary>
/// The network part of a run's configuration: a preset, optionally overridden by a custom bandwidth and/or
/// round-trip time, and the mode. Built from the strings of the HOCON files (<c>copriv.network</c> in
/// hocon/base.conf and hocon/presets.conf) and of the command line (<c>--network wan --bandwidth 100mbit
/// --rtt 20ms --mode emulate</c>); every malformed value fails with one message naming it and the accepted forms.
/// </summary>
public sealed record NetworkSettings(string Preset, Bandwidth Bandwidth, TimeSpan RoundTripTime, NetworkMode Mode)
{
    public static NetworkSettings Default { get; } = From(LinkPresets.Lan, NetworkMode.Simulate);

    /// <summary>True when a bandwidth or round-trip time other than the preset's was given.</summary>
    public bool IsCustom { get; init; }

    /// <summary>The link these settings describe, named after the preset, or "custom" when a value was overridden.</summary>
    public LinkModel Link => LinkModel.FromRoundTrip(IsCustom ? "custom" : Preset, Bandwidth, RoundTripTime);

    public static NetworkSettings From(LinkModel preset, NetworkMode mode) =>
        new(preset.Name, preset.Bandwidth, preset.RoundTripTime, mode);

    /// <summary>
    /// Settings from strings; null or empty means "not given". The preset (default "lan") comes from
    /// <paramref name="presets"/> (default <see cref="LinkPresets.All"/>), then <paramref name="bandwidth"/> and
    /// <paramref name="rtt"/> replace its values, and <paramref name="mode"/> (default "simulate") is "simulate" or
    /// "emulate".
    /// </summary>
    public static NetworkSettings Parse(string? preset = null, string? bandwidth = null, string? rtt = null,
        string? mode = null, IReadOnlyCollection<LinkModel>? presets = null)
    {
        presets ??= LinkPresets.All;
        string presetName = string.IsNullOrWhiteSpace(preset) ? LinkPresets.Lan.Name : preset.Trim();
        var basis = presets.FirstOrDefault(p => string.Equals(p.Name, presetName, StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException(
                $"unknown network preset '{presetName}'; known presets: {string.Join(", ", presets.Select(p => p.Name))}");
        var rate = string.IsNullOrWhiteSpace(bandwidth) ? basis.Bandwidth : Bandwidth.Parse(bandwidth);
        var roundTrip = string.IsNullOrWhiteSpace(rtt) ? basis.RoundTripTime : Latency.Parse(rtt);
        return new NetworkSettings(basis.Name, rate, roundTrip,
            string.IsNullOrWhiteSpace(mode) ? NetworkMode.Simulate : ParseMode(mode))
        {
            IsCustom = rate != basis.Bandwidth || roundTrip != basis.RoundTripTime,
        };
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
