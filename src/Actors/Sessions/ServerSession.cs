using Akka.Actor;
using CoPriv.Actors.Channel;
using CoPriv.Inference.Sessions;
using CoPriv.Network.Tcp;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// <c>/user/server/session-&lt;id&gt;</c>: the server's half of one client's session. Created by
/// <see cref="ServerParty"/> when it accepts the client session's <see cref="OpenSession"/>; tells the client it runs
/// and then runs the server's plan against it — over actor messages, or, when the server has a direct data plane,
/// over the connection the client makes to it with the session's one-time token (a client that does not connect
/// within the data plane's expect timeout fails the session).
/// </summary>
public sealed class ServerSession : PartySession
{
    private readonly IActorRef _client;
    private readonly ServerDataPlane? _dataPlane;
    private readonly CancellationTokenSource _connecting = new();
    private volatile bool _stopped;

    public ServerSession(string sessionId, SessionPlan plan, IReadOnlyDictionary<string, string> parameters,
        IActorRef client, SessionSettings settings, ServerDataPlane? dataPlane = null)
        : base(sessionId, PartyRole.Server, plan, parameters, settings, dataPlane is null ? SessionState.Running : SessionState.Connecting)
    {
        _client = client;
        _dataPlane = dataPlane;
        Receive<DataPlaneConnected>(m => StartRunning(_client, new TcpSessionDataPlane(m.Channel, SessionId, Self, _client)));
        Receive<DataPlaneFailed>(m => FailHere(null, $"the client's data-plane connection did not arrive: {m.Reason}"));
        Receive<SessionAborted>(m => FailByPeer(m.By, m.Step, m.Reason));
        Receive<Terminated>(t => t.ActorRef.Equals(_client),
            _ => FailByPeer(PartyRole.Client, null, "the client session stopped before its data plane connected"));
        ReceiveQueries();
        ReceiveAny(_ => Stash.Stash());
    }

    public static Props Props(string sessionId, SessionPlan plan, IReadOnlyDictionary<string, string> parameters,
        IActorRef client, SessionSettings settings, ServerDataPlane? dataPlane = null) =>
        Akka.Actor.Props.Create(() => new ServerSession(sessionId, plan, parameters, client, settings, dataPlane));

    protected override void PreStart()
    {
        Log.Info($"accepted from {_client.Path}: {Plan.StepNames.Count} steps");
        if (_dataPlane is null)
        {
            _client.Tell(new SessionAccepted(SessionId));
            StartRunning(_client);
            return;
        }
        Context.Watch(_client);
        var token = DataPlaneListener.NewSessionToken();
        var self = Self;
        _dataPlane.Listener.Expect(SessionId, token, _connecting.Token).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                // A connection that arrives after the session ended must not stay open.
                if (_stopped) t.Result.Dispose();
                else self.Tell(new DataPlaneConnected(t.Result));
            }
            else self.Tell(new DataPlaneFailed(t.Exception?.GetBaseException().Message ?? "cancelled"));
        }, TaskScheduler.Default);
        var endpoint = _dataPlane.Listener.LocalEndPoint;
        _client.Tell(new SessionAccepted(SessionId,
            new DataPlaneOffer(_dataPlane.PublicHost, endpoint.Port, Convert.ToHexStringLower(token), _dataPlane.Tls)));
    }

    protected override void PostStop()
    {
        _stopped = true;
        _connecting.Cancel();
        base.PostStop();
    }

    private sealed record DataPlaneConnected(TcpChannel Channel) : INoSerializationVerificationNeeded;

    private sealed record DataPlaneFailed(string Reason) : INoSerializationVerificationNeeded;
}
