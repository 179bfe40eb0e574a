using CoPriv.Protocols.Channels;

namespace CoPriv.Inference.Sessions;

/// <summary>The bytes one step moved, per phase and direction, as one party's meter counts them (a value: equal when the counts are).</summary>
public readonly record struct TrafficByPhase(
    long SetupSent, long SetupReceived, long PreprocessingSent, long PreprocessingReceived, long OnlineSent, long OnlineReceived)
{
    public long BytesSent => SetupSent + PreprocessingSent + OnlineSent;
    public long BytesReceived => SetupReceived + PreprocessingReceived + OnlineReceived;

    public (long Sent, long Received) In(Phase phase) => phase switch
    {
        Phase.Setup => (SetupSent, SetupReceived),
        Phase.Preprocessing => (PreprocessingSent, PreprocessingReceived),
        _ => (OnlineSent, OnlineReceived),
    };

    public static TrafficByPhase Of(TrafficMeter meter)
    {
        long[] counts = new long[6];
        foreach (var r in meter.Snapshot())
        {
            int at = 2 * (int)r.Phase;
            counts[at] += r.BytesSent;
            counts[at + 1] += r.BytesReceived;
        }
        return new TrafficByPhase(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    }

    public static TrafficByPhase operator -(TrafficByPhase a, TrafficByPhase b) => new(
        a.SetupSent - b.SetupSent, a.SetupReceived - b.SetupReceived,
        a.PreprocessingSent - b.PreprocessingSent, a.PreprocessingReceived - b.PreprocessingReceived,
        a.OnlineSent - b.OnlineSent, a.OnlineReceived - b.OnlineReceived);
}

/// <summary>
/// The traffic of one running step: the growth of a meter since a baseline taken when the step began (or when it
/// moved to another channel, see <see cref="LayerStepContext.MeterOn"/>). Steps of a session run one after another,
/// so the growth is the step's, whatever scopes it books to.
/// </summary>
public sealed class StepTraffic(TrafficMeter meter)
{
    private readonly TrafficByPhase _baseline = TrafficByPhase.Of(meter);

    public TrafficByPhase SoFar() => TrafficByPhase.Of(meter) - _baseline;
}
