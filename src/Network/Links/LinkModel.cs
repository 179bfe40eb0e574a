namespace CoPriv.Network.Links;

/// <summary>
/// A symmetric link with a fixed bandwidth and one-way latency in each direction (no jitter, no loss). Both parties
/// use the same model; the simulator and the emulator apply it per direction with first-come-first-served queueing.
/// </summary>
public sealed record LinkModel : ILinkModel
{
    public LinkModel(string name, Bandwidth bandwidth, TimeSpan oneWayLatency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (bandwidth.BytesPerSecond <= 0)
            throw new ArgumentException("a link needs a positive bandwidth (use Bandwidth.Unlimited for none)", nameof(bandwidth));
        if (oneWayLatency < TimeSpan.Zero)
            throw new ArgumentException($"a link's latency cannot be negative, got {oneWayLatency}", nameof(oneWayLatency));
        Name = name;
        Bandwidth = bandwidth;
        OneWayLatency = oneWayLatency;
    }

    /// <summary>A link given by its round-trip time, as the field quotes it; the one-way latency is half of it.</summary>
    public static LinkModel FromRoundTrip(string name, Bandwidth bandwidth, TimeSpan roundTripTime) =>
        new(name, bandwidth, roundTripTime / 2);

    /// <summary>A link from the strings a user types, e.g. ("custom", "100mbit", "20ms").</summary>
    public static LinkModel Parse(string name, string bandwidth, string roundTripTime) =>
        FromRoundTrip(name, Bandwidth.Parse(bandwidth), Latency.Parse(roundTripTime));

    public string Name { get; }
    public Bandwidth Bandwidth { get; }
    public TimeSpan OneWayLatency { get; }
    public TimeSpan RoundTripTime => OneWayLatency * 2;
    public double PropagationSeconds => OneWayLatency.TotalSeconds;

    public double TransmissionSeconds(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return Bandwidth.SecondsFor(bytes);
    }

    /// <summary>
    /// The least time a strictly sequential exchange can take on this link: every flight (a maximal run of messages
    /// in one direction, each sent only after all earlier messages were received) must be transmitted and then
    /// propagate, so the total is at least Σ bytes / bandwidth + flights · one-way latency, whatever the compute
    /// time. For a single stream the flights are the rounds that <see cref="CoPriv.Protocols.Channels.TrafficMeter"/>
    /// counts on both ends together. Concurrent exchanges may overlap their latencies, so for them only each
    /// sequential chain and each direction's volume (bytes / bandwidth + one latency) bound the time from below.
    /// </summary>
    public TimeSpan SequentialLowerBound(long totalBytes, long flights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(flights);
        return Latency.FromSeconds(Bandwidth.SecondsFor(totalBytes) + flights * PropagationSeconds);
    }

    public override string ToString() =>
        $"{Name} ({Bandwidth}, RTT {Latency.Format(RoundTripTime)})";
}
