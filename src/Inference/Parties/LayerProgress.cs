using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Parties;

/// <summary>A party has finished a layer: which one, how long it took, and how long the layers have taken so far.</summary>
public sealed record LayerProgress(PartyRole Role, int Index, int LayerCount, string Layer, TimeSpan LayerTime, TimeSpan Elapsed)
{
    /// <summary>1-based position, for "layer 7 of 102".</summary>
    public int Position => Index + 1;
}
