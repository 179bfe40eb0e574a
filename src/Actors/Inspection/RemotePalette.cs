using Akka.Actor;
using Akka.Cluster;
using CoPriv.Actors.Remoting;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// The <c>remote</c> palette: this node's Akka.Remote associations with peer nodes, each with the bytes and actor
/// messages its transport carried in both directions (<see cref="RemoteTraffic"/>), the cluster's view of each peer,
/// and the data-plane connections of its live sessions with their TLS state and bytes.
/// </summary>
internal sealed class RemotePalette(ActorSystem system)
{
    private readonly LiveParties _parties = new(system);

    public IEnumerable<InspectorCommand> Commands =>
    [
        new("remote", "show", "", "associations with peer nodes (bytes and messages each way), and each live session's data-plane connection (TLS state, bytes)", 0, 0, Show),
    ];

    /// <summary>
    /// One association with a peer node as <c>remote show</c> lists it: what the association tracker saw of it (null
    /// <see cref="Since"/>: nothing since the inspector started) and what the transport counted since the node started.
    /// </summary>
    public sealed record AssociationTrafficView(
        string Peer, string Direction, string State, DateTimeOffset? Since, string? LastError,
        long BytesSent, long BytesReceived, long MessagesSent, long MessagesReceived, int OpenConnections);

    /// <summary>A live session's data plane as <c>remote show</c> lists it.</summary>
    public sealed record DataPlaneView(string SessionId, string Role, string Connection, string? Peer, long BytesSent, long BytesReceived);

    private async Task Show(InspectorCall call)
    {
        var provider = ((ExtendedActorSystem)system).Provider;
        if (provider is not Akka.Remote.RemoteActorRefProvider)
            throw InspectorCommandException.Failed("this node does not use Akka.Remote (a simulation runs both parties in one process; 'copriv network' shows its links)");
        var tracker = await system.ActorSelection($"/user/{InspectorActor.Name}/{AssociationTracker.Name}")
            .ResolveOne(LiveParties.AskTimeout, call.Cancellation).ConfigureAwait(false);
        var seen = (await tracker.Ask<AssociationsListed>(ListAssociations.Instance, LiveParties.AskTimeout, call.Cancellation)
            .ConfigureAwait(false)).Associations;
        var traffic = RemoteTraffic.For(system);
        var associations = Join(seen, traffic.Snapshot());
        var members = provider is ClusterActorRefProvider ? ClusterPalette.Members(Cluster.Get(system)).Where(m => !m.Self).ToArray() : [];
        var sessions = await _parties.RunningSessionsAsync().ConfigureAwait(false);
        var dataPlanes = sessions.Where(s => s.DataPlane is not null)
            .Select(s => new DataPlaneView(s.SessionId, s.Role.ToString().ToLowerInvariant(), s.DataPlane!, s.Peer, s.BytesSent, s.BytesReceived))
            .ToArray();
        var self = provider.DefaultAddress.ToString();
        await call.AnswerAsync(new { Self = self, TrafficMetered = traffic.Metered, Associations = associations, Peers = members, DataPlanes = dataPlanes },
            () => StatusText.Remote(self, traffic.Metered, associations, members, dataPlanes)).ConfigureAwait(false);
    }

    /// <summary>Every peer the tracker saw or the transport counted, with both views side by side.</summary>
    private static AssociationTrafficView[] Join(IReadOnlyList<AssociationView> seen, IReadOnlyList<PeerTraffic> counted)
    {
        var byPeer = counted.ToDictionary(t => t.Peer, StringComparer.Ordinal);
        var views = seen.Select(a => byPeer.GetValueOrDefault(a.Peer) is { } t
            ? new AssociationTrafficView(a.Peer, a.Inbound ? "inbound" : "outbound", a.State, a.Since, a.LastError,
                t.BytesSent, t.BytesReceived, t.MessagesSent, t.MessagesReceived, t.OpenConnections)
            : new AssociationTrafficView(a.Peer, a.Inbound ? "inbound" : "outbound", a.State, a.Since, a.LastError, 0, 0, 0, 0, 0));
        var unseen = counted.Where(t => !seen.Any(a => a.Peer == t.Peer)).Select(t =>
            new AssociationTrafficView(t.Peer, "-", !t.Handshaken ? "no handshake" : t.OpenConnections > 0 ? "open" : "closed", null, null,
                t.BytesSent, t.BytesReceived, t.MessagesSent, t.MessagesReceived, t.OpenConnections));
        return views.Concat(unseen).OrderBy(v => v.Peer, StringComparer.Ordinal).ToArray();
    }
}
