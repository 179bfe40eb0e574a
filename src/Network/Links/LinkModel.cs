namespace CoPriv.Network.Links;

/// <summary>
/// A symmetric link with a bandwidth and one-way latency in each direction, optionally with jitter and loss. Both
/// parties use the same model; the simulator and the emulator apply it per direction with first-come-first-served
/// queueing.
/// <list type="bullet">
/// <item><b>Jitter</b> J: every message takes an extra delay drawn from an exponential distribution of mean J (seeded
/// per direction, see <see cref="LinkDirection"/>), and a direction still delivers in order, as one TCP connection does.</item>
/// <item><b>Loss</b> p: modelled by its effect on a TCP flow, the Mathis bound on throughput,
/// MSS / RTT · √(3 / (2p)) with MSS = <see cref="SegmentBytes"/>; the link sends at the lesser of that and its
/// bandwidth (<see cref="EffectiveBandwidth"/>). Retransmission timeouts and slow start are not modelled.</item>
/// </list>
/// </summary>
public sealed record LinkModel : ILinkModel
{
    /// <summary>TCP's maximum segment size on Ethernet (1500-byte MTU less 40 bytes of IP and TCP headers).</summary>
    public const int SegmentBytes = 1460;

    public LinkModel(string name, Bandwidth bandwidth, TimeSpan oneWayLatency, TimeSpan jitter = default, double loss = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (bandwidth.BytesPerSecond <= 0)
            throw new ArgumentException("a link needs a positive bandwidth (use Bandwidth.Unlimited for none)", nameof(bandwidth));
        if (oneWayLatency < TimeSpan.Zero)
            throw new ArgumentException($"a link's latency cannot be negative, got {oneWayLatency}", nameof(oneWayLatency));
        if (jitter < TimeSpan.Zero)
            throw new ArgumentException($"a link's jitter cannot be negative, got {jitter}", nameof(jitter));
        if (!(loss >= 0 && loss < 1))
            throw new ArgumentException($"a link's loss rate is a probability below 1, got {loss}", nameof(loss));
        Name = name;
        Bandwidth = bandwidth;
        OneWayLatency = oneWayLatency;
        Jitter = jitter;
        Loss = loss;
    }

    /// <summary>A link given by its round-trip time, as the field quotes it; the one-way latency is half of it.</summary>
    public static LinkModel FromRoundTrip(string name, Bandwidth bandwidth, TimeSpan roundTripTime, TimeSpan jitter = default,
        double loss = 0) =>
        new(name, bandwidth, roundTripTime / 2, jitter, loss);

    /// <summary>A link from the strings a user types, e.g. ("custom", "100mbit", "20ms").</summary>
    public static LinkModel Parse(string name, string bandwidth, string roundTripTime) =>
        FromRoundTrip(name, Bandwidth.Parse(bandwidth), Latency.Parse(roundTripTime));

    public string Name { get; }
    public Bandwidth Bandwidth { get; }
    public TimeSpan OneWayLatency { get; }
    public TimeSpan RoundTripTime => OneWayLatency * 2;
    public double PropagationSeconds => OneWayLatency.TotalSeconds;

    /// <summary>Mean of the exponential extra delay per message (zero: none).</summary>
    public TimeSpan Jitter { get; }

    public double MeanJitterSeconds => Jitter.TotalSeconds;

    /// <summary>Packet loss rate p, as its effect on a TCP flow's throughput (zero: none).</summary>
    public double Loss { get; }

    /// <summary>
    /// The rate a TCP flow reaches: the bandwidth, or with loss the Mathis bound MSS / RTT · √(3 / (2p)) when that is
    /// lower (a link without latency is not limited by loss in this model).
    /// </summary>
    public Bandwidth EffectiveBandwidth
    {
        get
        {
            if (Loss == 0 || RoundTripTime <= TimeSpan.Zero) return Bandwidth;
            double mathis = SegmentBytes / RoundTripTime.TotalSeconds * Math.Sqrt(3 / (2 * Loss));
            return Bandwidth.IsUnlimited || mathis < Bandwidth.BytesPerSecond ? Bandwidth.FromBytesPerSecond(mathis) : Bandwidth;
        }
    }

    public double TransmissionSeconds(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return EffectiveBandwidth.SecondsFor(bytes);
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
        return Latency.FromSeconds(EffectiveBandwidth.SecondsFor(totalBytes) + flights * PropagationSeconds);
    }

    public override string ToString() =>
        $"{Name} ({Bandwidth}, RTT {Latency.Format(RoundTripTime)}" +
        (Jitter > TimeSpan.Zero ? $", jitter {Latency.Format(Jitter)}" : "") +
        (Loss > 0 ? $", loss {Loss * 100:0.####} % → {EffectiveBandwidth}" : "") + ")";
}
