using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// out = min(max(signed(in), 0), <see cref="UpperBound"/>) with UpperBound = 6·2^scale: ReLU6 at the input's scale,
/// on the kept channels (identity elsewhere). Securely it is ReLU(x) − ReLU(x − UpperBound).
/// </summary>
public sealed class RingRelu6 : RingChannelMaskedActivation
{
    internal RingRelu6(string name, string sourceNode, string input, string output, TensorShape shape, int scale, bool[]? keptChannels = null)
        : base(name, sourceNode, input, output, shape, scale, keptChannels)
    {
        UpperBound = 6L << scale;
    }

    public long UpperBound { get; }

    public override string Kind => "Relu6";
}
