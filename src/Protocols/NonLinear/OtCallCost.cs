using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// The OT layer's exact call costs (<see cref="OtCosts"/>), oriented by which party is the OT sender; an empty call
/// sends nothing (the protocols skip it).
/// </summary>
internal static class OtCallCost
{
    public static CommunicationCost OneOfN(long count, int n, int bits, PartyRole sender) =>
        count == 0 ? default : OtCosts.OneOfN(count, n, bits).ToCost(sender);

    public static CommunicationCost Chosen(long count, int bits, PartyRole sender) =>
        count == 0 ? default : OtCosts.Chosen(count, bits).ToCost(sender);

    public static CommunicationCost Correlated(long count, int bits, PartyRole sender) =>
        count == 0 ? default : OtCosts.Correlated(count, bits).ToCost(sender);

    public static CommunicationCost CorrelatedPacked(long count, int valuesPerOt, int bits, PartyRole sender) =>
        count == 0 ? default : OtCosts.CorrelatedPacked(count, valuesPerOt, bits).ToCost(sender);

    public static CommunicationCost CorrelatedPacked(int valuesPerOt, ReadOnlySpan<int> bitsPerOt, PartyRole sender) =>
        bitsPerOt.IsEmpty ? default : OtCosts.CorrelatedPacked(valuesPerOt, bitsPerOt).ToCost(sender);
}
