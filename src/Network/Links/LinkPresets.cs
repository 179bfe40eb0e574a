namespace CoPriv.Network.Links;

/// <summary>
/// The network settings the 2PC inference literature reports its latencies under (see REFERENCE.md), plus an
/// unlimited link that leaves only the compute time.
/// </summary>
public static class LinkPresets
{
    /// <summary>3 Gbit/s, 0.3 ms RTT: the LAN of the Cheetah and SPU benchmarks.</summary>
    public static LinkModel Lan { get; } =
        LinkModel.FromRoundTrip("lan", Bandwidth.FromBitsPerSecond(3e9), TimeSpan.FromMilliseconds(0.3));

    /// <summary>400 Mbit/s, 40 ms RTT: the WAN of the Cheetah and SPU benchmarks.</summary>
    public static LinkModel Wan { get; } =
        LinkModel.FromRoundTrip("wan", Bandwidth.FromBitsPerSecond(400e6), TimeSpan.FromMilliseconds(40));

    /// <summary>377 MB/s, 0.8 ms RTT: the LAN of the CrypTFlow2 and SiRNN papers.</summary>
    public static LinkModel LanCf2 { get; } =
        LinkModel.FromRoundTrip("lan-cf2", Bandwidth.FromBytesPerSecond(377e6), TimeSpan.FromMilliseconds(0.8));

    /// <summary>No transmission time and no latency: what remains is the parties' compute.</summary>
    public static LinkModel Unlimited { get; } = new("unlimited", Bandwidth.Unlimited, TimeSpan.Zero);

    public static IReadOnlyList<LinkModel> All { get; } = [Lan, Wan, LanCf2, Unlimited];

    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToList();

    /// <summary>The preset of this name (case-insensitive).</summary>
    public static LinkModel Get(string name) =>
        TryGet(name, out var link)
            ? link
            : throw new ArgumentException($"unknown network preset '{name}'; known presets: {string.Join(", ", Names)}", nameof(name));

    public static bool TryGet(string? name, out LinkModel link)
    {
        link = All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return link is not null;
    }
}
