using Akka.Actor;
using Hyperion;

namespace CoPriv.Actors.Serialization;

/// <summary>
/// A thin Akka serializer over Hyperion for the runtime's control messages (<see cref="ICoPrivMessage"/>): session
/// handshakes, aborts, status replies. Actor references travel as their serialized path and are resolved again by
/// the receiving system, so a message may name actors of either party. Only our own message types and the framework
/// types they are made of are instantiated from the wire (<see cref="CoPrivTypeFilter"/>); anything else is refused
/// with a serialization error before it is built.
/// </summary>
public sealed class HyperionMessageSerializer : Akka.Serialization.Serializer
{
    /// <summary>Our registered serializer id (Akka reserves 0–100 for its own).</summary>
    public const int Id = 4102;

    private readonly Hyperion.Serializer _hyperion;

    public HyperionMessageSerializer(ExtendedActorSystem system) : base(system)
    {
        var actorRefs = Surrogate.Create<IActorRef, ActorRefSurrogate>(
            actor => new ActorRefSurrogate(Akka.Serialization.Serialization.SerializedActorPath(actor)),
            surrogate => system.Provider.ResolveActorRef(surrogate.Path));
        _hyperion = new Hyperion.Serializer(SerializerOptions.Default
            .WithVersionTolerance(true)
            .WithPreserveObjectReferences(true)
            .WithDisallowUnsafeType(true)
            .WithTypeFilter(CoPrivTypeFilter.Instance)
            .WithSurrogates([actorRefs]));
    }

    public override int Identifier => Id;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        _hyperion.Serialize(obj, stream);
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return _hyperion.Deserialize(stream);
    }

    /// <summary>What an actor reference becomes on the wire.</summary>
    public sealed record ActorRefSurrogate(string Path);
}
