using Akka.Actor;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// A short-lived actor that walks the live actor hierarchy level by level: it identifies each root, then the children
/// (<c>path/*</c>) of every actor that answered, down to the depth asked for; once nothing has answered for a quiet
/// period it replies <see cref="ActorHierarchyListed"/> and stops. Actors that start or stop during the walk may or
/// may not be listed, as with any snapshot of a running system.
/// </summary>
internal sealed class ActorHierarchyProbe : ReceiveActor
{
    private readonly SortedSet<string> _paths = new(StringComparer.Ordinal);
    private IActorRef _asker = ActorRefs.Nobody;

    public ActorHierarchyProbe(IReadOnlyList<string> roots, int depth, TimeSpan quiet)
    {
        Receive<ListActorHierarchy>(_ =>
        {
            _asker = Sender;
            foreach (var root in roots) Context.ActorSelection(root).Tell(new Identify(0));
            Context.SetReceiveTimeout(quiet);
        });
        Receive<ActorIdentity>(m =>
        {
            // The probe itself is a live actor under /user too, but not one the user asked about.
            if (m.Subject is null || m.Subject.Equals(Self) || m.MessageId is not int level) return;
            var path = m.Subject.Path.ToStringWithoutAddress();
            if (_paths.Add(path) && level < depth) Context.ActorSelection(path + "/*").Tell(new Identify(level + 1));
        });
        Receive<ReceiveTimeout>(_ =>
        {
            _asker.Tell(new ActorHierarchyListed(_paths.ToArray()));
            Context.Stop(Self);
        });
    }

    public static Props Props(IReadOnlyList<string> roots, int depth, TimeSpan? quiet = null) =>
        Akka.Actor.Props.Create(() => new ActorHierarchyProbe(roots, depth, quiet ?? TimeSpan.FromMilliseconds(300)));
}

/// <summary>Command to an <see cref="ActorHierarchyProbe"/>: walk the hierarchy and answer the sender.</summary>
internal sealed record ListActorHierarchy : INoSerializationVerificationNeeded
{
    public static readonly ListActorHierarchy Instance = new();
}

/// <summary>The paths of the live actors found (roots included), sorted.</summary>
internal sealed record ActorHierarchyListed(IReadOnlyList<string> Paths) : INoSerializationVerificationNeeded;
