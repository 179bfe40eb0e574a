using System.Net;
using Akka.Actor;
using Akka.Cluster;
using CoPriv.Actors.Channel;
using CoPriv.Inference.Sessions;
using CoPriv.Network.Tcp;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// <c>/user/client/session-&lt;id&gt;</c>: the client's half of a session. Asks the server party to open the session
/// (naming the steps and parameters, nothing else), waits for the server session to accept, connects the direct data
/// plane when the server offers one (TLS pinned to the server's certificate, with the session's one-time token), then
/// runs the client's plan against it. A rejection, a vanished server party, no answer within the accept timeout, or a
/// data plane that cannot be connected (or would be plaintext without --insecure) fail the session.
/// </summary>
public sealed class ClientSession : PartySession, IWithTimers
{
    private readonly IActorRef _serverParty;
    private readonly IReadOnlyList<string> _stepNames;
    private readonly TcpChannelOptions? _dataPlane;
    private readonly CancellationTokenSource _connecting = new();
    private volatile bool _stopped;

    public ClientSession(string sessionId, SessionPlan plan, IReadOnlyDictionary<string, string> parameters,
        IActorRef serverParty, SessionSettings settings, TcpChannelOptions? dataPlane = null)
        : base(sessionId, PartyRole.Client, plan, parameters, settings, SessionState.Connecting)
    {
        _serverParty = serverParty;
        _stepNames = plan.StepNames;
        _dataPlane = dataPlane;
        Connecting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private bool InCluster => Context.System is ExtendedActorSystem { Provider: ClusterActorRefProvider };

    protected override void OnMemberUnreachable(Address address)
    {
        if (address.Equals(_serverParty.Path.Address))
            FailByPeer(PartyRole.Server, CurrentStepName, $"the server at {address} is unreachable (no heartbeat answered within the failure detector's pause)");
    }

    public static Props Props(string sessionId, SessionPlan plan, IReadOnlyDictionary<string, string> parameters,
        IActorRef serverParty, SessionSettings settings, TcpChannelOptions? dataPlane = null) =>
        Akka.Actor.Props.Create(() => new ClientSession(sessionId, plan, parameters, serverParty, settings, dataPlane));

    protected override void PreStart()
    {
        // In a cluster nobody downs a server on a client's word (Hosting/ServerDowning.cs), so a dead or cut-off server
        // would never be reported as Terminated: the session fails as soon as this node sees the server unreachable.
        if (InCluster) Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember));
        Context.Watch(_serverParty);
        Timers.StartSingleTimer(nameof(AcceptTimedOut), AcceptTimedOut.Instance, Settings.AcceptTimeout);
        _serverParty.Tell(new OpenSession(SessionId, _stepNames, Parameters));
        Log.Info($"opened with the server party {_serverParty.Path}: {_stepNames.Count} steps");
    }

    protected override void PostStop()
    {
        if (InCluster) Cluster.Get(Context.System).Unsubscribe(Self);
        _stopped = true;
        _connecting.Cancel();
        base.PostStop();
    }

    private void Connecting()
    {
        Receive<SessionAccepted>(m =>
        {
            Log.Info(m.DataPlane is null ? $"accepted by {Sender.Path}" : $"accepted by {Sender.Path}; data plane at {m.DataPlane.Host}:{m.DataPlane.Port}");
            Timers.Cancel(nameof(AcceptTimedOut));
            Context.Unwatch(_serverParty);
            if (m.DataPlane is null)
            {
                StartRunning(Sender);
                return;
            }
            Context.Watch(Sender);
            Connect(m.DataPlane, Sender);
        });
        Receive<DataPlaneConnected>(m => StartRunning(m.Server, new TcpSessionDataPlane(m.Channel, SessionId, Self, m.Server)));
        Receive<DataPlaneFailed>(m =>
        {
            // The server session waits for our connection; tell it why none comes.
            m.Server.Tell(new SessionAborted(SessionId, PartyRole.Client, null, m.Reason));
            FailHere(null, m.Reason);
        });
        Receive<SessionAborted>(m => FailByPeer(m.By, m.Step, m.Reason));
        Receive<SessionRejected>(m => FailByPeer(PartyRole.Server, null, $"the server rejected the session: {m.Reason}"));
        Receive<Terminated>(t => FailByPeer(PartyRole.Server, null, $"the server at {t.ActorRef.Path.Address} is unreachable or stopped"));
        Receive<AcceptTimedOut>(_ =>
            FailByPeer(PartyRole.Server, null, $"the server party {_serverParty.Path} did not accept within {Settings.AcceptTimeout.TotalSeconds:0.#} s"));
        ReceiveQueries();
        ReceiveAny(_ => Stash.Stash());
    }

    private void Connect(DataPlaneOffer offer, IActorRef server)
    {
        var self = Self;
        var options = OptionsFor(offer, out var refusal);
        if (options is null)
        {
            self.Tell(new DataPlaneFailed(server, refusal!));
            return;
        }
        var endpoint = IPAddress.TryParse(offer.Host, out var address)
            ? (EndPoint)new IPEndPoint(address, offer.Port)
            : new DnsEndPoint(offer.Host, offer.Port);
        TcpChannel.ConnectAsync(endpoint, PartyRole.Client, options, _connecting.Token).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                if (_stopped) t.Result.Dispose();
                else self.Tell(new DataPlaneConnected(server, t.Result));
            }
            else
            {
                self.Tell(new DataPlaneFailed(server,
                    $"cannot connect the data plane to the server at {offer.Host}:{offer.Port}: {t.Exception?.GetBaseException().Message ?? "cancelled"}"));
            }
        }, TaskScheduler.Default);
    }

    /// <summary>The connection's settings for what the server offers, or null (with the reason) when this client must refuse it.</summary>
    private TcpChannelOptions? OptionsFor(DataPlaneOffer offer, out string? refusal)
    {
        refusal = null;
        byte[] token;
        try
        {
            token = Convert.FromHexString(offer.Token);
        }
        catch (FormatException)
        {
            refusal = "the server's data-plane offer carries a malformed token";
            return null;
        }
        if (_dataPlane is null)
        {
            refusal = "the server offers a direct data plane, but this client was given no data-plane settings";
            return null;
        }
        if (offer.Tls && _dataPlane.PinnedFingerprint is null)
        {
            refusal = "the server's data plane is TLS, but this client has no certificate fingerprint to pin";
            return null;
        }
        if (!offer.Tls && !_dataPlane.Insecure)
        {
            refusal = "the server offers a plaintext data plane; this client requires TLS (--insecure accepts plaintext for loopback experiments)";
            return null;
        }
        return _dataPlane with { Insecure = !offer.Tls, SessionId = SessionId, SessionToken = token };
    }

    private sealed record AcceptTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly AcceptTimedOut Instance = new();
    }

    private sealed record DataPlaneConnected(IActorRef Server, TcpChannel Channel) : INoSerializationVerificationNeeded;

    private sealed record DataPlaneFailed(IActorRef Server, string Reason) : INoSerializationVerificationNeeded;
}
