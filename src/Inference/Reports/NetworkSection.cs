namespace CoPriv.Inference.Reports;

/// <summary>
/// How the bytes of a run travelled, for runs over a link model or a real network (absent for in-memory runs and
/// predictions). The extension point of the report: simulators and deployments fill it in; fields they do not know
/// stay null.
/// </summary>
public sealed record NetworkSection
{
    /// <summary>"simulated", "emulated", "tcp", "actors", …</summary>
    public required string Mode { get; init; }

    /// <summary>Link preset or description ("lan", "wan", "100mbit/20ms").</summary>
    public string? Link { get; init; }

    public double? BandwidthBitsPerSecond { get; init; }
    public double? RoundTripSeconds { get; init; }

    /// <summary>End-to-end latency of the inference under the link (simulated or measured).</summary>
    public double? LatencySeconds { get; init; }
}
