using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// An element-wise activation that may be kept on some channels only, the identity on the others: the channel-wise
/// ReLU gates of Selective Network Linearization (Cho et al.). <see cref="KeptChannels"/> null means every channel
/// (what the zoo and the singleton instances use). The mask is public architecture, like a layer's shape: the client
/// must know which elements go through the protocol. A mask needs a [C, H, W] input with C entries; keeping none is
/// allowed (the layer is then the identity).
/// </summary>
public abstract class ChannelMaskedActivation : LayerOperator
{
    private protected ChannelMaskedActivation(bool[]? keptChannels)
    {
        KeptChannels = keptChannels?.ToArray();
    }

    /// <summary>Per channel, whether the activation applies there (identity where false); null: on every channel.</summary>
    public bool[]? KeptChannels { get; }

    /// <summary>True when the activation applies everywhere: no mask, or a mask of only true.</summary>
    public bool KeepsAllChannels => KeptChannels is null || Array.TrueForAll(KeptChannels, k => k);

    /// <summary>The activation of one element of a kept channel.</summary>
    public abstract double Apply(double x);

    /// <summary>How many elements of an input of <paramref name="shape"/> go through the activation.</summary>
    public int KeptElementCount(TensorShape shape) => KeptChannels is null
        ? shape.ElementCount
        : KeptChannels.Count(k => k) * (shape.ElementCount / KeptChannels.Length);

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        if (KeptChannels is { } kept)
        {
            RequireFeatureMap(node, inputs[0]);
            if (kept.Length != inputs[0].Channels)
                throw new InvalidModelException(
                    $"node '{node}': channel mask has {kept.Length} entries, input has {inputs[0].Channels} channels");
        }
        return inputs[0];
    }
}
