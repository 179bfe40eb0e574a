using Akka.Actor;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// <c>/user/client/session-&lt;id&gt;</c>: the client's half of a session. Asks the server party to open the session
/// (naming the steps and parameters, nothing else), waits for the server session to accept, then runs the client's
/// plan against it. A rejection, a vanished server party or no answer within the accept timeout fail the session.
/// </summary>
public sealed class ClientSession : PartySession, IWithTimers
{
    private readonly IActorRef _serverParty;
    private readonly IReadOnlyList<string> _stepNames;

    public ClientSession(string sessionId, SessionPlan plan, IReadOnlyDictionary<string, string> parameters,
        IActorRef serverParty, SessionSettings settings)
        : base(sessionId, PartyRole.Client, plan, parameters, settings, SessionState.Connecting)
    {
        _serverParty = serverParty;
        _stepNames = plan.StepNames;
        Connecting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string sessionId, SessionPlan plan, IReadOnlyDictionary<string, string> parameters,
        IActorRef serverParty, SessionSettings settings) =>
        Akka.Actor.Props.Create(() => new ClientSession(sessionId, plan, parameters, serverParty, settings));

    protected override void PreStart()
    {
        Context.Watch(_serverParty);
        Timers.StartSingleTimer(nameof(AcceptTimedOut), AcceptTimedOut.Instance, Settings.AcceptTimeout);
        _serverParty.Tell(new OpenSession(SessionId, _stepNames, Parameters));
    }

    private void Connecting()
    {
        Receive<SessionAccepted>(_ =>
        {
            Timers.Cancel(nameof(AcceptTimedOut));
            Context.Unwatch(_serverParty);
            StartRunning(Sender);
        });
        Receive<SessionRejected>(m => FailByPeer(PartyRole.Server, null, $"the server rejected the session: {m.Reason}"));
        Receive<Terminated>(t => t.ActorRef.Equals(_serverParty),
            _ => FailByPeer(PartyRole.Server, null, $"the server party {_serverParty.Path} is unreachable or stopped"));
        Receive<AcceptTimedOut>(_ =>
            FailByPeer(PartyRole.Server, null, $"the server party {_serverParty.Path} did not accept within {Settings.AcceptTimeout.TotalSeconds:0.#} s"));
        ReceiveQueries();
        ReceiveAny(_ => Stash.Stash());
    }

    private sealed record AcceptTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly AcceptTimedOut Instance = new();
    }
}
