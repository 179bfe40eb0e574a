using System.Threading.Channels;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// The <c>cluster</c> palette: the members with their roles and reachability, leaving and downing a member, and the
/// member events as they happen. Only on cluster nodes (<c>copriv serve</c>, <c>copriv infer</c>).
/// </summary>
internal sealed class ClusterPalette(ActorSystem system)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    public IEnumerable<InspectorCommand> Commands =>
    [
        new("cluster", "show", "", "the members: address, status, roles, reachability, the leader", 0, 0, Show),
        new("cluster", "leave", "<address>", "make a member leave the cluster gracefully", 1, 1, Leave) { ChangesState = true },
        new("cluster", "down", "<address>", "down a member (it is removed without leaving)", 1, 1, Down) { ChangesState = true },
        new("cluster", "tail", "", "member events as they happen, until Ctrl-C", 0, 0, Tail) { Streams = true },
    ];

    /// <summary>A member as shown: address, status, roles, reachable, whether it leads and whether it is this node.</summary>
    public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool Leader, bool Self);

    private Cluster RequireCluster() => system.Settings.Config.GetString("akka.actor.provider", "") is "cluster"
        || ((ExtendedActorSystem)system).Provider is Akka.Cluster.ClusterActorRefProvider
            ? Cluster.Get(system)
            : throw InspectorCommandException.Failed("this node is not a cluster member (the cluster palette is for copriv serve and copriv infer)");

    public static IReadOnlyList<MemberView> Members(Cluster cluster)
    {
        var state = cluster.State;
        return state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => new MemberView(m.Address.ToString(), m.Status.ToString(), m.Roles.OrderBy(r => r).ToArray(),
                !state.Unreachable.Contains(m), m.Address.Equals(state.Leader), m.Address.Equals(cluster.SelfAddress)))
            .ToArray();
    }

    private async Task Show(InspectorCall call)
    {
        var members = Members(RequireCluster());
        await call.AnswerAsync(members, () => StatusText.Members(members)).ConfigureAwait(false);
    }

    private Address Member(Cluster cluster, string text)
    {
        var member = cluster.State.Members.FirstOrDefault(m => m.Address.ToString() == text
            || $"{m.Address.Host}:{m.Address.Port}" == text);
        return member?.Address ?? throw InspectorCommandException.Failed($"no member '{text}'; 'cluster show' lists them");
    }

    private async Task Leave(InspectorCall call)
    {
        var cluster = RequireCluster();
        var address = Member(cluster, call.Arguments[0]);
        cluster.Leave(address);
        await call.AnswerAsync(new { Leaving = address.ToString() }, () => $"{address} is leaving the cluster").ConfigureAwait(false);
    }

    private async Task Down(InspectorCall call)
    {
        var cluster = RequireCluster();
        var address = Member(cluster, call.Arguments[0]);
        cluster.Down(address);
        await call.AnswerAsync(new { Downed = address.ToString() }, () => $"{address} is marked down").ConfigureAwait(false);
    }

    private async Task Tail(InspectorCall call)
    {
        var cluster = RequireCluster();
        var events = System.Threading.Channels.Channel.CreateBounded<ClusterEvent.IClusterDomainEvent>(
            new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        var subscriber = system.ActorOf(Props.Create(() => new ClusterEventForwarder(e => events.Writer.TryWrite(e))));
        try
        {
            var members = Members(cluster);
            await call.AnswerAsync(new { Members = members }, () => "members now:\n" + StatusText.Members(members)).ConfigureAwait(false);
            while (!call.Cancellation.IsCancellationRequested)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation);
                quiet.CancelAfter(Heartbeat);
                try
                {
                    var e = await events.Reader.ReadAsync(quiet.Token).ConfigureAwait(false);
                    var (kind, address, detail) = Describe(e);
                    await call.AnswerAsync(new { Time = DateTimeOffset.Now, Event = kind, Address = address, Detail = detail },
                        () => string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.Now:HH:mm:ss.fff} {kind,-12} {address} {detail}").TrimEnd())
                        .ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!call.Cancellation.IsCancellationRequested)
                {
                    await call.HeartbeatAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            system.Stop(subscriber);
        }
    }

    private static (string Kind, string Address, string Detail) Describe(ClusterEvent.IClusterDomainEvent e) => e switch
    {
        ClusterEvent.MemberUp m => ("member-up", m.Member.Address.ToString(), Roles(m.Member)),
        ClusterEvent.MemberJoined m => ("joined", m.Member.Address.ToString(), Roles(m.Member)),
        ClusterEvent.MemberWeaklyUp m => ("weakly-up", m.Member.Address.ToString(), Roles(m.Member)),
        ClusterEvent.MemberLeft m => ("left", m.Member.Address.ToString(), Roles(m.Member)),
        ClusterEvent.MemberExited m => ("exited", m.Member.Address.ToString(), Roles(m.Member)),
        ClusterEvent.MemberDowned m => ("downed", m.Member.Address.ToString(), Roles(m.Member)),
        ClusterEvent.MemberRemoved m => ("removed", m.Member.Address.ToString(), $"{Roles(m.Member)} (was {m.PreviousStatus})"),
        ClusterEvent.UnreachableMember m => ("unreachable", m.Member.Address.ToString(), Roles(m.Member)),
        ClusterEvent.ReachableMember m => ("reachable", m.Member.Address.ToString(), Roles(m.Member)),
        ClusterEvent.LeaderChanged m => ("leader", m.Leader?.ToString() ?? "(none)", ""),
        _ => (e.GetType().Name, "", ""),
    };

    private static string Roles(Member m) => $"roles {string.Join(",", m.Roles.OrderBy(r => r))}";

    /// <summary>Subscribes to member, reachability and leader events while it lives and passes each to a callback.</summary>
    private sealed class ClusterEventForwarder : ReceiveActor
    {
        public ClusterEventForwarder(Action<ClusterEvent.IClusterDomainEvent> forward)
        {
            Receive<ClusterEvent.IClusterDomainEvent>(forward);
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
        }

        protected override void PreStart() => Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
