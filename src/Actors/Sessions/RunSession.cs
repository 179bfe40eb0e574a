using Akka.Actor;
using CoPriv.Inference.Sessions;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// Command to the local client party: open a session with the server party <see cref="Server"/> and run
/// <see cref="Plan"/> (which holds the client's input). The sender gets <see cref="SessionCompleted"/> or
/// <see cref="SessionFailed"/>. Local only: the plan is code, not data.
/// </summary>
public sealed record RunSession(
    IActorRef Server, SessionPlan Plan, IReadOnlyDictionary<string, string>? Parameters = null, string? SessionId = null)
    : INoSerializationVerificationNeeded;
