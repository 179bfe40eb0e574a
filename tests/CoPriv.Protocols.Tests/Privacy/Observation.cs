namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>Where a received value came from: the wire, or the OT functionality the protocols are built on.</summary>
internal enum ObservationKind
{
    /// <summary>A whole message read from a named stream, one byte per element.</summary>
    StreamMessage,

    /// <summary>
    /// What one OT call handed this party: the receiver's chosen messages, the correlated-OT sender's random x0. The
    /// protocols are written in the OT-hybrid model, so these outputs are part of the view the simulation argument is
    /// about; the wire bytes underneath are recorded as stream messages too.
    /// </summary>
    OtOutput,
}

/// <summary>
/// One thing a party received during a protocol run. <see cref="Sequence"/> counts the observations of the same
/// <see cref="Source"/> in that run, so (Source, Sequence, element, bit) names the same position in every run.
/// Each element is a ring element of its own width (8 for message bytes).
/// </summary>
internal sealed record Observation(string Source, int Sequence, ObservationKind Kind, ulong[] Values, int[] Widths)
{
    public override string ToString() => $"{Source} #{Sequence}";
}
