using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// One step of a session as its party sees it: progress, the bytes the step sent and received (in all and per phase),
/// the CPU time of the step's thread once it ended, and the cost model's prediction for the step when the plan has one.
/// </summary>
public sealed record LayerStatus(
    int Position, string Name, LayerState State, double Progress, long BytesSent, long BytesReceived, TimeSpan Elapsed)
{
    public TrafficByPhase Phases { get; init; }

    /// <summary>CPU time of the thread that ran the step (its helpers' threads not counted); null while it runs.</summary>
    public TimeSpan? Compute { get; init; }

    public CommunicationCost? Predicted { get; init; }
}

/// <summary>
/// A session at one party: its steps, traffic and (when failed) the failing step and reason. Answer to
/// <see cref="GetSessionStatus"/>, and the report inside <see cref="SessionCompleted"/> / <see cref="SessionFailed"/>.
/// </summary>
public sealed record SessionStatus(
    string SessionId,
    PartyRole Role,
    SessionState State,
    string? Peer,
    IReadOnlyList<LayerStatus> Layers,
    long BytesSent,
    long BytesReceived,
    long PeakInFlightBytes,
    TimeSpan Elapsed,
    string? FailedStep,
    string? Failure) : ICoPrivMessage
{
    /// <summary>What carries the protocol bytes: the direct connection (endpoints, TLS or plaintext) or the actor channel.</summary>
    public string? DataPlane { get; init; }

    /// <summary>The running step (or the last one when none runs), null before the first starts.</summary>
    public LayerStatus? CurrentLayer =>
        Layers.FirstOrDefault(l => l.State == LayerState.Running) ?? Layers.LastOrDefault(l => l.State != LayerState.Pending);

    public int StepsDone => Layers.Count(l => l.State == LayerState.Succeeded);
}
