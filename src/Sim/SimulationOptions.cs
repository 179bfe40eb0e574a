using Akka.Configuration;
using CoPriv.Inference.Planning;
using CoPriv.Models.Zoo;
using CoPriv.Network;
using CoPriv.Sim.Configuration;

namespace CoPriv.Sim;

/// <summary>
/// Turns what a user typed (model, protocol, networks, bandwidth, rtt, mode, ring, scale) and the HOCON into a
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

    /// <summary>The zoo model of this name (case-insensitive), or an error listing the zoo.</summary>
    public static string ParseModel(string text) => ModelZoo.Get(text.Trim()).Name;

    /// <summary>
    /// One settings per comma-separated network name (the HOCON's preset when <paramref name="networks"/> is empty),
    /// each with the command line's <paramref name="bandwidth"/> and <paramref name="rtt"/> over the preset's.
    /// </summary>
    public static IReadOnlyList<NetworkSettings> ParseNetworks(Config config, string? networks, string? bandwidth, string? rtt,
        string? mode)
    {
        var names = string.IsNullOrWhiteSpace(networks)
            ? new string?[] { null }
            : networks.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new FormatException($"'{networks}' names no network");
        return names.Select(n => NetworkConfig.Settings(config, n, bandwidth, rtt, mode)).ToArray();
    }

    /// <summary>The request for these options, the HOCON's copriv.model section supplying ring bits and scale not given.</summary>
    public static SimulationRequest Build(Config config, string model, string protocol, string? networks, string? bandwidth,
        string? rtt, string? mode, int? ringBits = null, int? scale = null, ulong seed = 1, double width = 1.0)
    {
        var request = new SimulationRequest
        {
            Model = ParseModel(model),
            Protocols = ParseProtocols(protocol),
            Networks = ParseNetworks(config, networks, bandwidth, rtt, mode),
            RingBits = ringBits ?? config.GetInt("copriv.model.ring-bits", 41),
            Scale = scale ?? config.GetInt("copriv.model.scale", 11),
            Seed = seed,
            Width = width,
        };
        if (request.RingBits is < 2 or > 64) throw new ArgumentException($"ring bits must be 2..64, got {request.RingBits}");
        if (request.Scale < 0 || request.Scale >= request.RingBits)
            throw new ArgumentException($"scale must be 0..{request.RingBits - 1}, got {request.Scale}");
        if (!(width > 0) || width > 1) throw new ArgumentException($"width must be in (0, 1], got {width}");
        return request;
    }
}
