using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>One step of a session as its party sees it: progress, and the bytes the step sent and received.</summary>
public sealed record LayerStatus(
    int Position, string Name, LayerState State, double Progress, long BytesSent, long BytesReceived, TimeSpan Elapsed);

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
    /// <summary>The running step (or the last one when none runs), null before the first starts.</summary>
    public LayerStatus? CurrentLayer =>
        Layers.FirstOrDefault(l => l.State == LayerState.Running) ?? Layers.LastOrDefault(l => l.State != LayerState.Pending);

    public int StepsDone => Layers.Count(l => l.State == LayerState.Succeeded);
}
