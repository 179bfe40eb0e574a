using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// Fact: session <see cref="SessionId"/> ended well at party <see cref="Role"/>. Sent by the session to its party,
/// which forwards it to whoever asked for the session and publishes it on the event stream. Carries the party's
/// result (the client's prediction; usually null at the server), its final status, its full traffic and the peer's
/// (as the peer reported it when it finished).
/// </summary>
public sealed record SessionCompleted(
    string SessionId, PartyRole Role, object? Result, SessionStatus Status, IReadOnlyList<TrafficRecord> Traffic,
    IReadOnlyList<TrafficRecord> PeerTraffic) : ICoPrivMessage;

/// <summary>
/// Fact: session <see cref="SessionId"/> failed. <see cref="FailedAt"/> is the party where it failed first and
/// <see cref="Step"/> the step that failed there (null when no step was running, e.g. a rejected session); the peer
/// reports the same step and reason.
/// </summary>
public sealed record SessionFailed(
    string SessionId, PartyRole Role, PartyRole FailedAt, string? Step, string Reason, SessionStatus Status) : ICoPrivMessage;

/// <summary>Thrown by <see cref="ClientPartyExtensions.RunSessionAsync"/> when a session fails.</summary>
public sealed class SessionFailedException(SessionFailed failure)
    : Exception($"session {failure.SessionId} failed: {failure.Reason}")
{
    public SessionFailed Failure { get; } = failure;
}
