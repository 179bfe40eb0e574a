namespace CoPriv.Optimize;

/// <summary>
/// Activation nodes that are kept or linearized together (one block's ReLUs, say), with the communication that
/// linearizing them saves in a secure inference, in bits. The search learns one gate per group. Who finds the groups
/// and prices them is not this room's business: the groups arrive as data.
/// </summary>
public sealed record GateGroup(string Id, IReadOnlyList<string> ActivationNodes, double CommSavingBits)
{
    /// <summary>Bits in the loss's unit of communication, 100 MB (10⁸ bytes).</summary>
    public const double BitsPerCommunicationUnit = 8 * 1e8;

    /// <summary>The saving in units of 100 MB, the unit λ_c is stated in.</summary>
    public double CommSavingUnits => CommSavingBits / BitsPerCommunicationUnit;
}
