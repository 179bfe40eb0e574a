using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Sessions;

/// <summary>
/// What a running <see cref="ILayerStep"/> gets from the runtime: its party's end of the session channel (traffic is
/// booked to <see cref="LayerName"/> unless the step enters scopes of its own), the session's parameters, a way to
/// report progress, and a token that fires when the session is failed or killed.
/// </summary>
public sealed class LayerStepContext
{
    private readonly Action<double> _progress;
    private volatile StepTraffic _traffic;

    public LayerStepContext(string sessionId, PartyRole role, IChannel channel, int position, int stepCount,
        string layerName, IReadOnlyDictionary<string, string> parameters, Action<double> progress,
        CancellationToken cancellation)
    {
        SessionId = sessionId;
        Role = role;
        Channel = channel;
        Position = position;
        StepCount = stepCount;
        LayerName = layerName;
        Parameters = parameters;
        _progress = progress;
        Cancellation = cancellation;
        _traffic = new StepTraffic(channel.Meter);
    }

    public string SessionId { get; }
    public PartyRole Role { get; }
    public IChannel Channel { get; }
    public TrafficMeter Meter => Channel.Meter;

    /// <summary>1-based position of this step in the plan.</summary>
    public int Position { get; }
    public int StepCount { get; }

    /// <summary><c>layer-NN-name</c>: the layer actor's name and the meter layer the step's traffic is booked to.</summary>
    public string LayerName { get; }

    /// <summary>The parameters the client opened the session with (identical at both parties).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>
    /// The step's traffic so far per phase: the growth of <see cref="Meter"/> since the step began, or of the meter
    /// named by <see cref="MeterOn"/> since that call.
    /// </summary>
    public TrafficByPhase TrafficSoFar() => _traffic.SoFar();

    /// <summary>
    /// The step sends its bytes over another channel than <see cref="Channel"/> (a simulator's modelled link): the
    /// runtime's meters (the inspector, the step's reported traffic) follow that channel's meter from now on.
    /// </summary>
    public void MeterOn(TrafficMeter meter)
    {
        _traffic = new StepTraffic(meter);
        SendsElsewhere = true;
    }

    /// <summary>Whether the step sends over a channel of its own rather than <see cref="Channel"/> (see <see cref="MeterOn"/>).</summary>
    public bool SendsElsewhere { get; private set; }

    /// <summary>Reports the fraction of the step done (0..1); cheap, callable from any thread.</summary>
    public void ReportProgress(double fraction) => _progress(Math.Clamp(fraction, 0, 1));
}
