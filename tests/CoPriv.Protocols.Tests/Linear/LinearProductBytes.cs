using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// A layer's pre-processing bytes without its parameter handshake: the OT products alone, which is what SCI's
/// measurements and the algorithms' cost ratios are about.
/// </summary>
internal static class LinearProductBytes
{
    /// <summary>The handshake's bytes, both directions.</summary>
    public const long Handshake = 2 * LinearParameterHandshake.Bytes;

    public static long Of(CommunicationCost layerCost) => layerCost.PreprocessingBytes - Handshake;
}
