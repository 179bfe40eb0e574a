using Akka.Actor;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// <c>/user/server</c>: the server party. Owns the model through its <see cref="SessionPlanner"/>, accepts
/// <see cref="OpenSession"/> from client sessions (local or remote) and runs each accepted session in its own child
/// <see cref="ServerSession"/>. A session is rejected when its id is taken or invalid, when the planner refuses it,
/// or when the client's steps differ from the server's plan; the client learns only the reason.
/// </summary>
public sealed class ServerParty : PartyActor
{
    private readonly SessionPlanner _planner;

    public ServerParty(SessionPlanner planner, SessionSettings settings) : base(PartyRole.Server, settings)
    {
        _planner = planner;
        Receive<OpenSession>(Open);
    }

    /// <summary>The conventional name under /user.</summary>
    public const string Name = "server";

    public static Props Props(SessionPlanner planner, SessionSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new ServerParty(planner, settings ?? SessionSettings.Default));

    private void Open(OpenSession request)
    {
        var (plan, rejection) = Plan(request);
        if (plan is null)
        {
            CountRejected();
            Sender.Tell(new SessionRejected(request.SessionId, rejection!));
            return;
        }
        StartSession(request.SessionId, ServerSession.Props(request.SessionId, plan, request.Parameters, Sender, Settings));
    }

    private (SessionPlan? Plan, string? Rejection) Plan(OpenSession request)
    {
        try
        {
            LayerNames.CheckSessionId(request.SessionId);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
        if (IsLive(request.SessionId)) return (null, $"a session with id '{request.SessionId}' is already running");

        SessionPlan plan;
        try
        {
            plan = _planner(new SessionRequest(request.SessionId, request.StepNames, request.Parameters));
        }
        catch (Exception e)
        {
            return (null, $"the server cannot plan the session: {e.Message}");
        }

        var mine = plan.StepNames;
        var theirs = request.StepNames;
        for (int i = 0; i < Math.Max(mine.Count, theirs.Count); i++)
        {
            var server = i < mine.Count ? mine[i] : "(none)";
            var client = i < theirs.Count ? theirs[i] : "(none)";
            if (server != client)
                return (null, $"the plans differ at step {i + 1}: the client runs '{client}', the server '{server}' ({theirs.Count} vs {mine.Count} steps)");
        }
        return (plan, null);
    }
}
