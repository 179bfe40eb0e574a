using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// The wire cost of the OT calls the non-linear protocols make, with the direction set by which party is the OT
/// sender. The byte formulas are the OT layer's; this only orients them.
/// </summary>
internal static class OtTraffic
{
    /// <summary>1-out-of-N OT with <paramref name="bits"/>-bit messages.</summary>
    public static CommunicationCost OneOfN(long count, int n, int bits, PartyRole sender) =>
        Orient(count == 0 ? default : new Flow(32 * count, (count * n * bits + 7) / 8, 2), sender);

    /// <summary>Chosen-message OT with <paramref name="bits"/>-bit messages.</summary>
    public static CommunicationCost Chosen(long count, int bits, PartyRole sender) =>
        Orient(count == 0 ? default : new Flow(16 * count, (2 * count * bits + 7) / 8, 2), sender);

    /// <summary>Correlated OT with <paramref name="bits"/>-bit correlations.</summary>
    public static CommunicationCost Correlated(long count, int bits, PartyRole sender) =>
        Orient(count == 0 ? default : new Flow(16 * count, (count * bits + 7) / 8, 2), sender);

    /// <summary>Correlated OT whose OTs carry values of the given widths (one value per OT).</summary>
    public static CommunicationCost CorrelatedPacked(long count, long totalBits, PartyRole sender) =>
        Orient(count == 0 ? default : new Flow(16 * count, (totalBits + 7) / 8, 2), sender);

    private readonly record struct Flow(long ReceiverBytes, long SenderBytes, long Rounds);

    private static CommunicationCost Orient(Flow f, PartyRole sender) => sender == PartyRole.Server
        ? CommunicationCost.Online(f.SenderBytes, f.ReceiverBytes, f.Rounds)
        : CommunicationCost.Online(f.ReceiverBytes, f.SenderBytes, f.Rounds);
}
