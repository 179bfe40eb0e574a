using Akka.Configuration;
using CoPriv.Network;
using CoPriv.Network.Links;

namespace CoPriv.Sim.Configuration;

/// <summary>
/// The <c>copriv.network</c> section of the HOCON: the presets (<c>copriv.network.presets.&lt;name&gt;.{bandwidth,rtt}</c>,
/// optionally <c>jitter</c> and <c>loss</c>) and the defaults (<c>preset</c>, <c>bandwidth</c>, <c>rtt</c>,
/// <c>jitter</c>, <c>loss</c>, <c>mode</c>) that command-line options override.
/// </summary>
public static class NetworkConfig
{
    /// <summary>The keys a preset may have; any other is a mistake (a typo would otherwise be ignored).</summary>
    public static IReadOnlyList<string> PresetKeys { get; } = ["bandwidth", "rtt", "jitter", "loss", "used-by"];

    /// <summary>The presets the configuration defines, in file order; the built-in ones when it defines none.</summary>
    public static IReadOnlyList<LinkModel> Presets(Config config)
    {
        var section = config.GetConfig("copriv.network.presets");
        if (section is null || section.IsEmpty) return LinkPresets.All;
        var presets = new List<LinkModel>();
        foreach (var name in section.AsEnumerable().Select(e => e.Key.Split('.')[0]).Distinct())
        {
            var keys = section.GetConfig(name)?.AsEnumerable().Select(e => e.Key.Split('.')[0]) ?? [];
            foreach (var key in keys)
                if (!PresetKeys.Contains(key))
                    throw new FormatException(
                        $"network preset '{name}' in the HOCON has an unknown key '{key}'; a preset takes {string.Join(", ", PresetKeys)}");
        }
        foreach (var (name, _) in section.AsEnumerable().Select(e => (e.Key.Split('.')[0], e.Value)).DistinctBy(e => e.Item1))
        {
            string bandwidth = section.GetString($"{name}.bandwidth", null)
                ?? throw new FormatException($"network preset '{name}' in the HOCON has no bandwidth");
            string rtt = section.GetString($"{name}.rtt", null)
                ?? throw new FormatException($"network preset '{name}' in the HOCON has no rtt");
            string? jitter = section.GetString($"{name}.jitter", null);
            string? loss = section.GetString($"{name}.loss", null);
            presets.Add(LinkModel.FromRoundTrip(name, Bandwidth.Parse(bandwidth), Latency.Parse(rtt),
                jitter is null ? TimeSpan.Zero : Latency.Parse(jitter), loss is null ? 0 : NetworkSettings.ParseLoss(loss)));
        }
        return presets;
    }

    /// <summary>
    /// The settings of one network: <paramref name="preset"/>, <paramref name="bandwidth"/>, <paramref name="rtt"/> and
    /// <paramref name="mode"/> when given (command line), else the HOCON's <c>copriv.network</c> values.
    /// </summary>
    public static NetworkSettings Settings(Config config, string? preset = null, string? bandwidth = null, string? rtt = null,
        string? mode = null, string? jitter = null, string? loss = null) =>
        NetworkSettings.Parse(
            Pick(preset, config.GetString("copriv.network.preset", null)),
            Pick(bandwidth, config.GetString("copriv.network.bandwidth", null)),
            Pick(rtt, config.GetString("copriv.network.rtt", null)),
            Pick(mode, config.GetString("copriv.network.mode", null)),
            Presets(config),
            Pick(jitter, config.GetString("copriv.network.jitter", null)),
            Pick(loss, config.GetString("copriv.network.loss", null)));

    private static string? Pick(string? commandLine, string? hocon) =>
        string.IsNullOrWhiteSpace(commandLine) ? hocon : commandLine;
}
