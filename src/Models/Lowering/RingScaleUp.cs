using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>out = in · 2^<see cref="Shift"/> mod 2^ℓ: raises the scale (to add values of different scales). Local.</summary>
public sealed class RingScaleUp : RingOperation
{
    internal RingScaleUp(string name, string sourceNode, string input, string output, TensorShape shape, int inputScale, int shift)
        : base(name, sourceNode, [input], output, shape, inputScale + shift)
    {
        Shift = shift;
    }

    public int Shift { get; }

    public override string Kind => "ScaleUp";
    public override bool IsLocal => true;
}
