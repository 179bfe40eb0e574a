namespace CoPriv.Protocols.Linear;

/// <summary>
/// One party's share of a linear layer's output, untruncated: the values carry the scale of weight × input (2s,
/// plus any extra Winograd bits), and <see cref="PendingShift"/> bits of faithful truncation are still owed to bring
/// them back to scale s. Leaving the truncation to the caller lets it sit after the ReLU, as CrypTFlow2 does.
/// </summary>
public sealed record LinearLayerOutput(ulong[] Share, int PendingShift);
