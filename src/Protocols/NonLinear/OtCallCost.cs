using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// The OT layer's exact call costs under the session's backend (<see cref="OtBackendCosts"/>), oriented by which
/// party is the OT sender; an empty call sends nothing (the protocols skip it).
/// </summary>
internal static class OtCallCost
{
    /// <summary>
    /// The costs a public cost function computes with: its caller's, or those of <see cref="OtBackend.Iknp"/> (the
    /// backend <see cref="PartyContext.Create"/> picks) when the caller names none.
    /// </summary>
    public static OtBackendCosts Resolve(OtBackendCosts? otCosts) => otCosts ?? OtBackend.Iknp.Costs;

    public static CommunicationCost OneOfN(OtBackendCosts ot, long count, int n, int bits, PartyRole sender) =>
        count == 0 ? default : ot.OneOfN(count, n, bits).ToCost(sender);

    public static CommunicationCost Chosen(OtBackendCosts ot, long count, int bits, PartyRole sender) =>
        count == 0 ? default : ot.Chosen(count, bits).ToCost(sender);

    public static CommunicationCost Correlated(OtBackendCosts ot, long count, int bits, PartyRole sender) =>
        count == 0 ? default : ot.Correlated(count, bits).ToCost(sender);

    public static CommunicationCost CorrelatedPacked(OtBackendCosts ot, long count, int valuesPerOt, int bits, PartyRole sender) =>
        count == 0 ? default : ot.CorrelatedPacked(count, valuesPerOt, bits).ToCost(sender);

    public static CommunicationCost CorrelatedPacked(OtBackendCosts ot, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, PartyRole sender) =>
        bitsPerOt.IsEmpty ? default : ot.CorrelatedPacked(valuesPerOt, bitsPerOt).ToCost(sender);
}
