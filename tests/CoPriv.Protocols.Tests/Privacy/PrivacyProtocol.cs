using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// One protocol as the privacy harness runs it. <see cref="Inputs"/> makes both parties' secret inputs for one
/// configuration, the observer's from <see cref="SecretSeeds.ObserverSeed"/> alone; <see cref="Run"/> runs one
/// party's side of one instance on its input (branching on the context's role where the sides differ);
/// <see cref="Openings"/> says which received values are masked openings that must be uniform.
/// </summary>
internal sealed record PrivacyProtocol(
    string Name,
    Type Protocol,
    Func<SecretSeeds, PartyInputs> Inputs,
    Action<PartyContext, ulong[]> Run,
    MaskedOpenings Openings)
{
    public override string ToString() => Name;
}

/// <summary>The seeds of one configuration's secret inputs: the observer's input is made from its seed alone.</summary>
internal readonly record struct SecretSeeds(PartyRole Observer, ulong ObserverSeed, ulong PeerSeed)
{
    public ulong Of(PartyRole role) => role == Observer ? ObserverSeed : PeerSeed;
}

/// <summary>Both parties' secret inputs, each flattened into ring elements (or 0/1 values) as its protocol reads them.</summary>
internal sealed record PartyInputs(ulong[] Server, ulong[] Client)
{
    public ulong[] Of(PartyRole role) => role == PartyRole.Server ? Server : Client;
}
