using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// A ring activation (<see cref="RingRelu"/>, <see cref="RingRelu6"/>) that may apply on some channels only, the
/// identity on the others (<see cref="Graph.ChannelMaskedActivation"/>). <see cref="KeptChannels"/> is null when it
/// applies everywhere, so a mask of only true lowers to exactly the plain activation. The mask is public.
/// </summary>
public abstract class RingChannelMaskedActivation : RingOperation
{
    private protected RingChannelMaskedActivation(string name, string sourceNode, string input, string output, TensorShape shape,
        int scale, bool[]? keptChannels)
        : base(name, sourceNode, [input], output, shape, scale)
    {
        KeptChannels = keptChannels is null || Array.TrueForAll(keptChannels, k => k) ? null : keptChannels.ToArray();
        KeptElementCount = KeptChannels is null
            ? shape.ElementCount
            : KeptChannels.Count(k => k) * (shape.ElementCount / KeptChannels.Length);
    }

    /// <summary>Per channel, whether the activation applies there; null when it applies on every channel.</summary>
    public bool[]? KeptChannels { get; }

    /// <summary>How many elements go through the activation: the kept channels × H × W.</summary>
    public int KeptElementCount { get; }

    /// <summary>Whether the element at flat index <paramref name="index"/> goes through the activation.</summary>
    public bool IsKept(int index) => KeptChannels is null || KeptChannels[index / (OutputShape.ElementCount / KeptChannels.Length)];
}
