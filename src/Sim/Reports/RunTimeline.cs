using System.Text.Json.Serialization;

namespace CoPriv.Sim.Reports;

/// <summary>
/// Where a simulated run's virtual time went, per party, for the timeline chart: when the party computed, when its
/// messages occupied the link (its sending direction), when it waited for the peer's messages, and where each of its
/// steps (layers) began. Each kind is the union over the party's concurrent flows, so a party may compute and wait at
/// once; segments of one kind are sorted and disjoint and lie within [0, the run's latency].
/// <para>
/// Memory and the report stay bounded: at most <see cref="MaxSegmentsPerRow"/> segments are kept per party and kind,
/// and where there were more, the smallest gaps between them were filled, up to <see cref="ResolutionSeconds"/> (0:
/// none). A segment says how much of it was actually covered, and the seconds per kind are those, not the filled
/// lengths: exact for sending, and for compute and waiting at least the exact union and at most the sum over flows.
/// </para>
/// </summary>
public sealed record RunTimeline(double ResolutionSeconds, IReadOnlyList<PartyTimeline> Parties)
{
    /// <summary>Segments kept per party and kind: about one per pixel column of the chart.</summary>
    public const int MaxSegmentsPerRow = 1000;
}

/// <summary>
/// One party's rows of a <see cref="RunTimeline"/> (<see cref="Role"/> "server" or "client"): the seconds covered and
/// the segments [start, end] of each kind, the bytes its direction of the link carried (setup included), and the
/// virtual time at which each of its steps began.
/// </summary>
public sealed record PartyTimeline(
    string Role,
    long SentBytes,
    double ComputeSeconds,
    double SendingSeconds,
    double WaitingSeconds,
    IReadOnlyList<TimelineSegment> Compute,
    IReadOnlyList<TimelineSegment> Sending,
    IReadOnlyList<TimelineSegment> Waiting,
    IReadOnlyList<LayerStart> Layers);

/// <summary>
/// A stretch of virtual time in seconds, of which <see cref="CoveredSeconds"/> were busy (less than its length where
/// gaps were filled); JSON writes it as [start, end, covered] on one line.
/// </summary>
[JsonConverter(typeof(TimelineSegmentJsonConverter))]
public readonly record struct TimelineSegment(double Start, double End, double CoveredSeconds);

/// <summary>A party's step (the setup or an engine layer, by its step name) and the virtual time at which it began.</summary>
public sealed record LayerStart(string Layer, double StartSeconds);
