using CoPriv.Protocols.Channels;

namespace CoPriv.Inference.Sessions;

/// <summary>The bytes one step moved in one phase, as one party's meter counts them.</summary>
public sealed record PhaseTraffic(Phase Phase, long BytesSent, long BytesReceived);

/// <summary>
/// The traffic of one running step: the growth of a meter since a baseline taken when the step began (or when it
/// moved to another channel, see <see cref="LayerStepContext.MeterOn"/>). Steps of a session run one after another,
/// so the growth is the step's, whatever scopes it books to.
/// </summary>
public sealed class StepTraffic
{
    private readonly TrafficMeter _meter;
    private readonly Dictionary<Phase, (long Sent, long Received)> _baseline;

    public StepTraffic(TrafficMeter meter)
    {
        _meter = meter;
        _baseline = ByPhase(meter);
    }

    /// <summary>The growth per phase since the baseline, phases with no traffic left out.</summary>
    public IReadOnlyList<PhaseTraffic> SoFar()
    {
        var now = ByPhase(_meter);
        return now.Select(e =>
            {
                var before = _baseline.GetValueOrDefault(e.Key);
                return new PhaseTraffic(e.Key, e.Value.Sent - before.Sent, e.Value.Received - before.Received);
            })
            .Where(p => p.BytesSent + p.BytesReceived > 0)
            .OrderBy(p => p.Phase)
            .ToArray();
    }

    private static Dictionary<Phase, (long Sent, long Received)> ByPhase(TrafficMeter meter) =>
        meter.Snapshot().GroupBy(r => r.Phase)
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.BytesSent), g.Sum(r => r.BytesReceived)));
}
