using Akka.Actor;
using CoPriv.Inference.Sessions;
using CoPriv.Network.Tcp;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// Command to the local client party: open a session with the server party <see cref="Server"/> and run
/// <see cref="Plan"/> (which holds the client's input). The sender gets <see cref="SessionCompleted"/> or
/// <see cref="SessionFailed"/>. Local only: the plan is code, not data. <see cref="DataPlane"/> says how to connect
/// a direct data plane the server offers (TLS pinned to a fingerprint, or plaintext when insecure); without it, a
/// session whose server offers one fails.
/// </summary>
public sealed record RunSession(
    IActorRef Server, SessionPlan Plan, IReadOnlyDictionary<string, string>? Parameters = null, string? SessionId = null,
    TcpChannelOptions? DataPlane = null)
    : INoSerializationVerificationNeeded;
