namespace CoPriv.Protocols.Tests.Privacy;

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
