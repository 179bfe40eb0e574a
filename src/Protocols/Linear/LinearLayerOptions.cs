using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// Settings both parties of a linear layer must agree on: the fixed-point format (ring ℓ and scale s), how the OT
/// orientation of each product is chosen, the session's OT backend (whose costs the orientation and the layer's cost
/// are computed with), and the layer's name, which names its stream for the online re-sharing
/// (give each layer of a network its own name so that its flight is counted as its own round).
/// </summary>
public sealed record LinearLayerOptions(FixedPoint Format, OrientationPolicy Orientation = OrientationPolicy.ClientReceives,
    string Name = "linear")
{
    public Ring Ring => Format.Ring;
    public int Scale => Format.Scale;

    /// <summary>The OT backend of the sessions the layer runs in (checked when it runs).</summary>
    public OtBackend OtBackend { get; init; } = OtBackend.Iknp;

    /// <summary>The stream that carries the client's x_c − r.</summary>
    internal string ReshareStream => $"{Name}/reshare";
}
