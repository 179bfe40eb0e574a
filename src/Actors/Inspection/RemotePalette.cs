using Akka.Actor;
using Akka.Cluster;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// The <c>remote</c> palette: this node's Akka.Remote associations with peer nodes (and the cluster's view of each
/// peer's reachability), and the data-plane connections of its live sessions with their TLS state and bytes.
/// </summary>
internal sealed class RemotePalette(ActorSystem system)
{
    private readonly LiveParties _parties = new(system);

    public IEnumerable<InspectorCommand> Commands =>
    [
        new("remote", "show", "", "associations with peer nodes, and each live session's data-plane connection (TLS state, bytes)", 0, 0, Show),
    ];

    /// <summary>A live session's data plane as <c>remote show</c> lists it.</summary>
    public sealed record DataPlaneView(string SessionId, string Role, string Connection, string? Peer, long BytesSent, long BytesReceived);

    private async Task Show(InspectorCall call)
    {
        var provider = ((ExtendedActorSystem)system).Provider;
        if (provider is not Akka.Remote.RemoteActorRefProvider)
            throw InspectorCommandException.Failed("this node does not use Akka.Remote (a simulation runs both parties in one process; 'copriv network' shows its links)");
        var tracker = await system.ActorSelection($"/user/{InspectorActor.Name}/{AssociationTracker.Name}")
            .ResolveOne(LiveParties.AskTimeout, call.Cancellation).ConfigureAwait(false);
        var associations = (await tracker.Ask<AssociationsListed>(ListAssociations.Instance, LiveParties.AskTimeout, call.Cancellation)
            .ConfigureAwait(false)).Associations;
        var members = provider is ClusterActorRefProvider ? ClusterPalette.Members(Cluster.Get(system)).Where(m => !m.Self).ToArray() : [];
        var sessions = await _parties.RunningSessionsAsync().ConfigureAwait(false);
        var dataPlanes = sessions.Where(s => s.DataPlane is not null)
            .Select(s => new DataPlaneView(s.SessionId, s.Role.ToString().ToLowerInvariant(), s.DataPlane!, s.Peer, s.BytesSent, s.BytesReceived))
            .ToArray();
        var self = provider.DefaultAddress.ToString();
        await call.AnswerAsync(new { Self = self, Associations = associations, Peers = members, DataPlanes = dataPlanes },
            () => StatusText.Remote(self, associations, members, dataPlanes)).ConfigureAwait(false);
    }
}
