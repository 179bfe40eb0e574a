using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>The option-A shortcut on ring tensors: subsample by <see cref="Stride"/>, add zero channels. Local.</summary>
public sealed class RingZeroPadShortcut : RingOperation
{
    internal RingZeroPadShortcut(string name, string sourceNode, string input, string output, TensorShape outputShape, int scale,
        int stride, int padBefore)
        : base(name, sourceNode, [input], output, outputShape, scale)
    {
        Stride = stride;
        PadBefore = padBefore;
    }

    public int Stride { get; }
    public int PadBefore { get; }

    public override string Kind => "ZeroPadShortcut";
    public override bool IsLocal => true;
}
