namespace CoPriv.Models.Graph;

/// <summary>max(x, 0) element-wise; with <see cref="ChannelMaskedActivation.KeptChannels"/>, on those channels only.</summary>
public sealed class Relu : ChannelMaskedActivation
{
    /// <summary>The ReLU on every channel.</summary>
    public static Relu Instance { get; } = new();

    /// <param name="keptChannels">per channel, whether the ReLU applies (identity where false); null: every channel.</param>
    public Relu(bool[]? keptChannels = null) : base(keptChannels) { }

    public override string Kind => "Relu";

    public override double Apply(double x) => x > 0 ? x : 0;
}
