using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Hosting;

/// <summary>
/// CoPriv's downing provider (<c>akka.cluster.downing-provider-class</c>): only a server downs, and only what it has
/// itself seen unreachable. Akka's split-brain resolver also acts on what any member observes and downs both ends of an
/// "indirectly connected" pair, so one slow or hostile client that stops hearing a server's heartbeats could get the
/// server downed (and, with <c>run-coordinated-shutdown-when-down</c>, stopped). CoPriv's servers share no state (no
/// singletons, no sharding), so a partition needs no single surviving side; a member is downed only to drop a dead
/// peer from the membership. See <see cref="ServerDowningPolicy"/> for the rule and src/Actors/README.md for why.
/// </summary>
public sealed class ServerDowningProvider : IDowningProvider
{
    private readonly Cluster _cluster;
    private readonly ServerDowningSettings _settings;

    public ServerDowningProvider(ActorSystem system, Cluster cluster)
    {
        _cluster = cluster;
        _settings = ServerDowningSettings.FromConfig(system.Settings.Config);
    }

    /// <summary>No shards or singletons move between nodes, so nothing has to wait for a downed side to stop.</summary>
    public TimeSpan DownRemovalMargin => TimeSpan.Zero;

    public Props DowningActorProps => Props.Create(() => new ServerDowningActor(_cluster, _settings));
}

/// <summary><c>copriv.cluster.downing</c>: how long a server's own observation must last before it downs a member.</summary>
/// <param name="ClientsAfter">a client this server has seen unreachable this long is downed.</param>
/// <param name="ServersAfter">another server this server has seen unreachable this long is downed.</param>
/// <param name="Tick">how often the observations are checked.</param>
public sealed record ServerDowningSettings(TimeSpan ClientsAfter, TimeSpan ServersAfter, TimeSpan Tick)
{
    public static ServerDowningSettings FromConfig(Config config)
    {
        var c = config.GetConfig("copriv.cluster.downing");
        var settings = new ServerDowningSettings(
            c?.GetTimeSpan("clients-after", TimeSpan.FromSeconds(3)) ?? TimeSpan.FromSeconds(3),
            c?.GetTimeSpan("servers-after", TimeSpan.FromSeconds(20)) ?? TimeSpan.FromSeconds(20),
            c?.GetTimeSpan("tick", TimeSpan.FromMilliseconds(500)) ?? TimeSpan.FromMilliseconds(500));
        if (settings.ClientsAfter <= TimeSpan.Zero || settings.ServersAfter <= TimeSpan.Zero || settings.Tick <= TimeSpan.Zero)
            throw new ConfigurationException(
                $"copriv.cluster.downing: clients-after, servers-after and tick must be positive, got {settings.ClientsAfter}, {settings.ServersAfter}, {settings.Tick}");
        return settings;
    }
}

/// <summary>
/// The rule, kept free of Akka so it can be tested on its own:
/// <list type="bullet">
/// <item>a client downs nobody (a client's session fails by itself when its server becomes unreachable);</item>
/// <item>a server downs a member only when its own failure detector has called that member unreachable for the
/// whole of <see cref="ServerDowningSettings.ClientsAfter"/> (a client) or <see cref="ServerDowningSettings.ServersAfter"/>
/// (another server). Only for a client it does not monitor (a cluster larger than
/// <c>akka.cluster.monitored-by-nr-of-members</c>) does it take the cluster's view; a server is never downed on what
/// a client observes;</item>
/// <item>nobody downs itself.</item>
/// </list>
/// </summary>
public sealed class ServerDowningPolicy(ServerDowningSettings settings)
{
    private readonly Dictionary<Address, DateTime> _unreachableSince = [];

    /// <summary>
    /// One check at <paramref name="now"/>: <paramref name="selfIsServer"/> says whether this node serves;
    /// <paramref name="members"/> are the members not yet down or removed (address and whether it is a server), and
    /// <paramref name="unreachableHere"/> says whether this node's own failure detector calls a member unreachable.
    /// Returns the members to down now (each once).
    /// </summary>
    public IReadOnlyList<Address> Check(DateTime now, Address self, bool selfIsServer,
        IEnumerable<(Address Address, bool IsServer)> members, Func<Address, bool> unreachableHere)
    {
        var down = new List<Address>();
        var present = new HashSet<Address>();
        foreach (var (address, isServer) in members)
        {
            if (address.Equals(self)) continue;
            present.Add(address);
            if (!selfIsServer || !unreachableHere(address))
            {
                _unreachableSince.Remove(address);
                continue;
            }
            if (!_unreachableSince.TryGetValue(address, out var since)) _unreachableSince[address] = since = now;
            if (now - since >= (isServer ? settings.ServersAfter : settings.ClientsAfter))
            {
                down.Add(address);
                _unreachableSince.Remove(address);
            }
        }
        foreach (var gone in _unreachableSince.Keys.Where(a => !present.Contains(a)).ToList()) _unreachableSince.Remove(gone);
        return down;
    }
}

/// <summary>The actor Akka.Cluster starts under its daemon: applies <see cref="ServerDowningPolicy"/> every tick.</summary>
internal sealed class ServerDowningActor : ReceiveActor, IWithTimers
{
    private static readonly string ServerRole = CoPrivNode.ClusterRole(PartyRole.Server);
    private readonly Cluster _cluster;
    private readonly ServerDowningSettings _settings;
    private readonly ServerDowningPolicy _policy;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<Address> _downed = [];

    public ServerDowningActor(Cluster cluster, ServerDowningSettings settings)
    {
        _cluster = cluster;
        _settings = settings;
        _policy = new ServerDowningPolicy(settings);
        Receive<Tick>(_ => Check());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_cluster.SelfRoles.Contains(ServerRole)) Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, _settings.Tick);
    }

    private void Check()
    {
        var state = _cluster.State;
        var members = state.Members
            .Where(m => m.Status is not (MemberStatus.Down or MemberStatus.Removed or MemberStatus.Exiting))
            .Select(m => (m.Address, IsServer: m.HasRole(ServerRole)))
            .ToImmutableList();
        var detector = _cluster.FailureDetector;
        foreach (var address in _policy.Check(DateTime.UtcNow, _cluster.SelfAddress, selfIsServer: true, members,
                     a => detector.IsMonitoring(a) ? !detector.IsAvailable(a) : state.Unreachable.Any(m => m.Address.Equals(a) && !m.HasRole(ServerRole))))
        {
            if (!_downed.Add(address)) continue;
            bool server = members.Any(m => m.Address.Equals(address) && m.IsServer);
            _log.Warning("downing the {0} {1}: unreachable from this server for {2:0.#} s", server ? "server" : "client", address,
                (server ? _settings.ServersAfter : _settings.ClientsAfter).TotalSeconds);
            _cluster.Down(address);
        }
        _downed.IntersectWith(members.Select(m => m.Address));
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
