namespace CoPriv.Optimize;

/// <summary>
/// One activation node after SNL: which of its channels keep their ReLU (the others are linear, y = x), and how many
/// ReLUs that leaves: kept channels × pixels per channel (1 for a vector's features).
/// </summary>
public sealed record SnlNodeChannels(string Node, int Channels, int PixelsPerChannel, IReadOnlyList<int> KeptChannels)
{
    public long ReluCount => (long)KeptChannels.Count * PixelsPerChannel;

    /// <summary>One entry per channel: true where the activation is kept.</summary>
    public bool[] Mask()
    {
        var mask = new bool[Channels];
        foreach (int c in KeptChannels) mask[c] = true;
        return mask;
    }
    public long OriginalReluCount => (long)Channels * PixelsPerChannel;
}
