namespace CoPriv.Protocols.NonLinear;

/// <summary>What both parties know publicly about the sign of the values a truncation gets.</summary>
public enum MsbKnowledge
{
    /// <summary>Nothing: the sign is shared and is handled inside the protocol.</summary>
    Unknown,

    /// <summary>
    /// Every value is non-negative (its MSB is 0), e.g. right after a ReLU. The caller vouches for it: a negative
    /// value gives a wrong result.
    /// </summary>
    NonNegative,
}
