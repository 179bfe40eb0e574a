namespace CoPriv.Models.Graph;

/// <summary>
/// min(max(x, 0), 6) element-wise (MobileNetV2's activation; ONNX Clip with min 0, max 6); with
/// <see cref="ChannelMaskedActivation.KeptChannels"/>, on those channels only.
/// </summary>
public sealed class Relu6 : ChannelMaskedActivation
{
    public const double UpperBound = 6.0;

    /// <summary>The ReLU6 on every channel.</summary>
    public static Relu6 Instance { get; } = new();

    /// <param name="keptChannels">per channel, whether the ReLU6 applies (identity where false); null: every channel.</param>
    public Relu6(bool[]? keptChannels = null) : base(keptChannels) { }

    public override string Kind => "Relu6";

    public override double Apply(double x) => x <= 0 ? 0 : x >= UpperBound ? UpperBound : x;
}
