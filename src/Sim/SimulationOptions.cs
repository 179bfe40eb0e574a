using Akka.Configuration;
using CoPriv.Inference.Planning;
using CoPriv.Network;
using CoPriv.Sim.Configuration;

namespace CoPriv.Sim;

/// <summary>
/// Turns what a user typed (protocols, networks, bandwidth, rtt, mode) and the resolved run spec into a
/// <see cref="SimulationRequest"/>, checking every name and value first so that a typo fails at once with one line that
/// names it and lists what is accepted, before any actor starts.
/// </summary>
public static class SimulationOptions
{
    public const string BothProtocols = "both";

    /// <summary>"copriv", "cryptflow2" or "both" (in that order: the baseline first).</summary>
    public static IReadOnlyList<string> ParseProtocols(string text)
    {
        var name = text.Trim().ToLowerInvariant();
        if (name == BothProtocols) return [SecureInferencePolicy.CrypTFlow2Name, SecureInferencePolicy.CoPrivName];
        if (SecureInferencePolicy.Names.Contains(name)) return [name];
        throw new ArgumentException(
            $"unknown protocol '{text}'; known protocols: {string.Join(", ", SecureInferencePolicy.Names)}, {BothProtocols}");
    }

    /// <summary>
    /// One settings per comma-separated network name (the HOCON's preset when <paramref name="networks"/> is empty),
    /// each with the command line's <paramref name="bandwidth"/> and <paramref name="rtt"/> over the preset's.
    /// </summary>
    public static IReadOnlyList<NetworkSettings> ParseNetworks(Config config, string? networks, string? bandwidth, string? rtt,
        string? mode, string? jitter = null, string? loss = null)
    {
        var names = string.IsNullOrWhiteSpace(networks)
            ? new string?[] { null }
            : networks.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new FormatException($"'{networks}' names no network");
        return names.Select(n => NetworkConfig.Settings(config, n, bandwidth, rtt, mode, jitter, loss)).ToArray();
    }

    /// <summary>
    /// The request for these options: <paramref name="spec"/> (resolved from HOCON, environment and command line) run
    /// under each protocol of <paramref name="protocol"/> ("both" for the two).
    /// </summary>
    public static SimulationRequest Build(Config config, RunSpec spec, string protocol, string? networks, string? bandwidth,
        string? rtt, string? mode, ulong seed = 1, string? jitter = null, string? loss = null) => new()
    {
        Spec = spec,
        Protocols = ParseProtocols(protocol),
        Networks = ParseNetworks(config, networks, bandwidth, rtt, mode, jitter, loss),
        Seed = seed,
    };
}
