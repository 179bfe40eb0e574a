using Akka.Actor;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// A short-lived actor that lists the live actors under /user: asked with <see cref="ListActorTree"/>, it sends
/// Identify to /user/*, /user/*/*, … down to the given depth, collects the answers until none has come for a quiet
/// period, replies <see cref="ActorTreeListed"/> and stops.
/// </summary>
internal sealed class ActorTreeProbe : ReceiveActor
{
    private readonly SortedSet<string> _paths = new(StringComparer.Ordinal);
    private IActorRef _asker = ActorRefs.Nobody;

    public ActorTreeProbe(int depth, TimeSpan quiet)
    {
        Receive<ListActorTree>(_ =>
        {
            _asker = Sender;
            var pattern = "/user";
            for (int level = 1; level <= depth; level++)
            {
                pattern += "/*";
                Context.ActorSelection(pattern).Tell(new Identify(level));
            }
            Context.SetReceiveTimeout(quiet);
        });
        Receive<ActorIdentity>(m =>
        {
            if (m.Subject is not null) _paths.Add(m.Subject.Path.ToStringWithoutAddress());
        });
        Receive<ReceiveTimeout>(_ =>
        {
            _asker.Tell(new ActorTreeListed(_paths.ToArray()));
            Context.Stop(Self);
        });
    }

    public static Props Props(int depth = 6, TimeSpan? quiet = null) =>
        Akka.Actor.Props.Create(() => new ActorTreeProbe(depth, quiet ?? TimeSpan.FromMilliseconds(300)));
}

/// <summary>Command to an <see cref="ActorTreeProbe"/>: list the tree and answer the sender.</summary>
internal sealed record ListActorTree : INoSerializationVerificationNeeded
{
    public static readonly ListActorTree Instance = new();
}

/// <summary>The paths of the live actors under /user, sorted.</summary>
internal sealed record ActorTreeListed(IReadOnlyList<string> Paths) : INoSerializationVerificationNeeded;
