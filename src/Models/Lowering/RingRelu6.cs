using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// out = min(max(signed(in), 0), <see cref="UpperBound"/>) with UpperBound = 6·2^scale: ReLU6 at the input's scale.
/// Securely it is ReLU(x) − ReLU(x − UpperBound).
/// </summary>
public sealed class RingRelu6 : RingOperation
{
    internal RingRelu6(string name, string sourceNode, string input, string output, TensorShape shape, int scale)
        : base(name, sourceNode, [input], output, shape, scale)
    {
        UpperBound = 6L << scale;
    }

    public long UpperBound { get; }

    public override string Kind => "Relu6";
}
