using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>out = max(signed(in), 0): the ReLU on the two's-complement reading. Scale unchanged.</summary>
public sealed class RingRelu : RingOperation
{
    internal RingRelu(string name, string sourceNode, string input, string output, TensorShape shape, int scale)
        : base(name, sourceNode, [input], output, shape, scale) { }

    public override string Kind => "Relu";
}
