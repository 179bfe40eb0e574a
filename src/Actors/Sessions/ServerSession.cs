using Akka.Actor;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// <c>/user/server/session-&lt;id&gt;</c>: the server's half of one client's session. Created by
/// <see cref="ServerParty"/> when it accepts the client session's <see cref="OpenSession"/>; tells the client it runs
/// and then runs the server's plan against it.
/// </summary>
public sealed class ServerSession : PartySession
{
    private readonly IActorRef _client;

    public ServerSession(string sessionId, SessionPlan plan, IReadOnlyDictionary<string, string> parameters,
        IActorRef client, SessionSettings settings)
        : base(sessionId, PartyRole.Server, plan, parameters, settings, SessionState.Running)
    {
        _client = client;
    }

    public static Props Props(string sessionId, SessionPlan plan, IReadOnlyDictionary<string, string> parameters,
        IActorRef client, SessionSettings settings) =>
        Akka.Actor.Props.Create(() => new ServerSession(sessionId, plan, parameters, client, settings));

    protected override void PreStart()
    {
        _client.Tell(new SessionAccepted(SessionId));
        StartRunning(_client);
    }
}
