using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// Settings both parties of a linear layer must agree on: the fixed-point format (ring ℓ and scale s), how the OT
/// orientation of each product is chosen, the session's OT backend (whose costs the orientation and the layer's cost
/// are computed with), the public bit-width B of the server's operand (the weights as the layer uses them), and the
/// layer's name, which names its stream for the online re-sharing
/// (give each layer of a network its own name so that its flight is counted as its own round).
/// </summary>
public sealed record LinearLayerOptions(FixedPoint Format, OrientationPolicy Orientation = OrientationPolicy.ClientReceives,
    string Name = "linear")
{
    public Ring Ring => Format.Ring;
    public int Scale => Format.Scale;

    /// <summary>The OT backend of the sessions the layer runs in (checked when it runs).</summary>
    public OtBackend OtBackend { get; init; } = OtBackend.Iknp;

    private readonly int? _weightBits;

    /// <summary>
    /// B: every value of the server's operand (weights after the layer's transform or folding) fits in B-bit two's
    /// complement, so a product with the server as OT receiver needs B OTs per weight instead of ℓ; null means ℓ (no
    /// reduction, CrypTFlow2's products). The server refuses weights that need more.
    /// </summary>
    public int? WeightBits
    {
        get => _weightBits;
        init => _weightBits = value is null || (value >= 1 && value <= Format.Ring.Bits) ? value
            : throw new ArgumentException($"the weight bit-width B must be between 1 and ℓ = {Format.Ring.Bits}, got {value}", nameof(value));
    }

    /// <summary>B, or ℓ when the options give none.</summary>
    internal int ServerOperandBits => _weightBits ?? Ring.Bits;

    /// <summary>The stream that carries the client's x_c − r.</summary>
    internal string ReshareStream => $"{Name}/reshare";
}
