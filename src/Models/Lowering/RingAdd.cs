using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>out = a + b mod 2^ℓ, both inputs at the output's scale. Local.</summary>
public sealed class RingAdd : RingOperation
{
    internal RingAdd(string name, string sourceNode, string left, string right, string output, TensorShape shape, int scale)
        : base(name, sourceNode, [left, right], output, shape, scale) { }

    public override string Kind => "Add";
    public override bool IsLocal => true;
}
