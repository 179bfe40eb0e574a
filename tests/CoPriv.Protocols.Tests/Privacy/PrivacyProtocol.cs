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

/// <summary>Which received values a protocol means to be one-time-padded openings, uniform in their ring.</summary>
internal sealed record MaskedOpenings(string Description, Func<Observation, bool> Includes)
{
    /// <summary>
    /// The non-linear protocols: every output of the OT functionality (leaf and triple OTs, multiplexer and conversion
    /// OTs: all masked by the sender's fresh randomness), and every message on the "nonlinear" stream but its first —
    /// the parameter handshake, which is public — i.e. the AND-gate openings and the argmax reveal.
    /// </summary>
    public static readonly MaskedOpenings NonLinear = new(
        "every OT output and every 'nonlinear' message after the handshake",
        o => o.Kind == ObservationKind.OtOutput || (o.Source == "stream nonlinear" && o.Sequence > 0));

    /// <summary>A linear layer: every output of its OT products and the client's re-shared input x − r.</summary>
    public static MaskedOpenings Linear(string layerName) => new(
        $"every OT output and the re-share on '{layerName}/reshare'",
        o => o.Kind == ObservationKind.OtOutput || o.Source == $"stream {layerName}/reshare");

    /// <summary>An OT matrix product on its own: every OT output.</summary>
    public static readonly MaskedOpenings OtOutputs = new("every OT output", o => o.Kind == ObservationKind.OtOutput);
}
