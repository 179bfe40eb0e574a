using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// The parameter-free shortcut of He et al.'s CIFAR ResNets ("option A"): keep every <see cref="Stride"/>-th row and
/// column (positions 0, s, 2s, …) and add all-zero channels, <see cref="PadBefore"/> in front and
/// <see cref="PadAfter"/> behind. [C, H, W] → [C + before + after, ⌈H/s⌉, ⌈W/s⌉]. Local data movement only: no
/// multiplication, no communication. In ONNX it is a Slice (steps s on the spatial axes) followed by a Pad on the
/// channel axis.
/// </summary>
public sealed class ZeroPadShortcut : LayerOperator
{
    public ZeroPadShortcut(int stride, int padBefore, int padAfter)
    {
        if (stride <= 0) throw new ArgumentException($"shortcut stride must be positive, got {stride}");
        if (padBefore < 0 || padAfter < 0)
            throw new ArgumentException($"shortcut channel padding must be non-negative, got {padBefore} and {padAfter}");
        Stride = stride;
        PadBefore = padBefore;
        PadAfter = padAfter;
    }

    /// <summary>The option-A shortcut from <paramref name="inChannels"/> to <paramref name="outChannels"/>, padding half in front, half behind.</summary>
    public static ZeroPadShortcut Between(int inChannels, int outChannels, int stride)
    {
        if (outChannels < inChannels)
            throw new ArgumentException($"a zero-padding shortcut cannot reduce channels ({inChannels} → {outChannels})");
        int before = (outChannels - inChannels) / 2;
        return new ZeroPadShortcut(stride, before, outChannels - inChannels - before);
    }

    public int Stride { get; }
    public int PadBefore { get; }
    public int PadAfter { get; }

    public override string Kind => "ZeroPadShortcut";

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        RequireFeatureMap(node, inputs[0]);
        var s = inputs[0];
        return TensorShape.FeatureMap(s.Channels + PadBefore + PadAfter, (s.Height + Stride - 1) / Stride, (s.Width + Stride - 1) / Stride);
    }
}
