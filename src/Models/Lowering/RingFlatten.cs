using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>The same elements read as a vector. Local, moves no data.</summary>
public sealed class RingFlatten : RingOperation
{
    internal RingFlatten(string name, string sourceNode, string input, string output, TensorShape outputShape, int scale)
        : base(name, sourceNode, [input], output, outputShape, scale) { }

    public override string Kind => "Flatten";
    public override bool IsLocal => true;
}
