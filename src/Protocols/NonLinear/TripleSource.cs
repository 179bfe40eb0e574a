namespace CoPriv.Protocols.NonLinear;

/// <summary>Where the bit triples of a comparison come from.</summary>
public enum TripleSource : byte
{
    /// <summary>Made inside the call: their OT traffic is booked with the call, in the meter's current phase.</summary>
    Inline = 0,

    /// <summary>
    /// Taken from the party's <see cref="BitTripleStore"/>, filled earlier in the pre-processing phase: the call
    /// itself sends nothing for them.
    /// </summary>
    Store = 1,
}
