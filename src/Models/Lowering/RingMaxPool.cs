using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>out = max of the signed readings in each window (padding positions ignored).</summary>
public sealed class RingMaxPool : RingOperation
{
    internal RingMaxPool(string name, string sourceNode, string input, string output, TensorShape outputShape, int scale, MaxPool pool)
        : base(name, sourceNode, [input], output, outputShape, scale)
    {
        Pool = pool;
    }

    /// <summary>Window geometry.</summary>
    public MaxPool Pool { get; }

    public override string Kind => "MaxPool";
}
