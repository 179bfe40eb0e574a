using Akka.Actor;
using Akka.Remote;

namespace CoPriv.Actors.Inspection;

/// <summary>One Akka.Remote association of this node with a peer node, as the tracker saw it come and go.</summary>
public sealed record AssociationView(string Peer, bool Inbound, string State, DateTimeOffset Since, string? LastError);

/// <summary>
/// <c>/user/inspector/associations</c>: follows Akka.Remote's lifecycle events (associated, disassociated, errors)
/// from the inspector's start and answers <see cref="ListAssociations"/> with what it saw. The bytes and messages of
/// each association are counted on the transport (<see cref="Remoting.RemoteTraffic"/>), not here.
/// </summary>
internal sealed class AssociationTracker : ReceiveActor
{
    public const string Name = "associations";
    private readonly Dictionary<string, AssociationView> _peers = new(StringComparer.Ordinal);

    public AssociationTracker()
    {
        Receive<AssociatedEvent>(e => _peers[e.RemoteAddress.ToString()] =
            new AssociationView(e.RemoteAddress.ToString(), e.IsInbound, "associated", DateTimeOffset.Now, null));
        Receive<DisassociatedEvent>(e => _peers[e.RemoteAddress.ToString()] =
            new AssociationView(e.RemoteAddress.ToString(), e.IsInbound, "disassociated", DateTimeOffset.Now,
                _peers.GetValueOrDefault(e.RemoteAddress.ToString())?.LastError));
        Receive<AssociationErrorEvent>(e => _peers[e.RemoteAddress.ToString()] =
            (_peers.GetValueOrDefault(e.RemoteAddress.ToString()) ?? new AssociationView(e.RemoteAddress.ToString(), e.IsInbound, "failed", DateTimeOffset.Now, null))
            with { LastError = e.Cause?.Message ?? e.ToString() });
        Receive<ListAssociations>(_ => Sender.Tell(new AssociationsListed(_peers.Values.OrderBy(p => p.Peer, StringComparer.Ordinal).ToArray())));
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(RemotingLifecycleEvent));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    public static Props Props() => Akka.Actor.Props.Create(() => new AssociationTracker());
}

internal sealed record ListAssociations : INoSerializationVerificationNeeded
{
    public static readonly ListAssociations Instance = new();
}

internal sealed record AssociationsListed(IReadOnlyList<AssociationView> Associations) : INoSerializationVerificationNeeded;
