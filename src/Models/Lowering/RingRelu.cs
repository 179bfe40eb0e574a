using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// out = max(signed(in), 0): the ReLU on the two's-complement reading, on the kept channels (identity elsewhere).
/// Scale unchanged.
/// </summary>
public sealed class RingRelu : RingChannelMaskedActivation
{
    internal RingRelu(string name, string sourceNode, string input, string output, TensorShape shape, int scale, bool[]? keptChannels = null)
        : base(name, sourceNode, input, output, shape, scale, keptChannels) { }

    public override string Kind => "Relu";
}
