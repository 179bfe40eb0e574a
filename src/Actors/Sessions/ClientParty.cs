using Akka.Actor;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// <c>/user/client</c>: the client party. On <see cref="RunSession"/> it starts a <see cref="ClientSession"/> child
/// that opens the session with the given server party and runs the client's plan; the requester gets the outcome
/// (<see cref="SessionCompleted"/> with the client's result, or <see cref="SessionFailed"/>).
/// </summary>
public sealed class ClientParty : PartyActor
{
    private readonly Dictionary<string, IActorRef> _requesters = new(StringComparer.Ordinal);

    public ClientParty(SessionSettings settings) : base(PartyRole.Client, settings)
    {
        Receive<RunSession>(Run);
    }

    /// <summary>The conventional name under /user.</summary>
    public const string Name = "client";

    public static Props Props(SessionSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new ClientParty(settings ?? SessionSettings.Default));

    /// <summary>A fresh session id: 12 hex digits.</summary>
    public static string NewSessionId() => Guid.NewGuid().ToString("N")[..12];

    private void Run(RunSession request)
    {
        var id = request.SessionId ?? NewSessionId();
        string? problem = null;
        try
        {
            LayerNames.CheckSessionId(id);
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }
        if (problem is null && IsLive(id)) problem = $"a session with id '{id}' is already running at this client";
        if (problem is not null)
        {
            var status = new SessionStatus(id, PartyRole.Client, SessionState.Failed, null, [], 0, 0, 0, TimeSpan.Zero, null, problem);
            Sender.Tell(new SessionFailed(id, PartyRole.Client, PartyRole.Client, null, problem, status));
            return;
        }
        _requesters[id] = Sender;
        StartSession(id, ClientSession.Props(id, request.Plan,
            request.Parameters ?? new Dictionary<string, string>(), request.Server, Settings, request.DataPlane));
    }

    protected override void OnSessionEnded(string sessionId, object outcome)
    {
        if (_requesters.Remove(sessionId, out var requester)) requester.Tell(outcome);
    }
}
