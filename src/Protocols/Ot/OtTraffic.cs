using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// What one OT call puts on the wire, by OT role: bytes sent by the OT sender and by the OT receiver, and rounds
/// (flights, as <see cref="TrafficMeter"/> counts them, summed over both ends).
/// </summary>
public readonly record struct OtTraffic(long SenderBytes, long ReceiverBytes, long Rounds)
{
    public long TotalBytes => SenderBytes + ReceiverBytes;

    /// <summary>The call as a <see cref="CommunicationCost"/> when <paramref name="sender"/> is the OT sender.</summary>
    public CommunicationCost ToCost(PartyRole sender, Phase phase = Phase.Online)
    {
        long serverToClient = sender == PartyRole.Server ? SenderBytes : ReceiverBytes;
        long clientToServer = sender == PartyRole.Server ? ReceiverBytes : SenderBytes;
        return phase switch
        {
            Phase.Online => CommunicationCost.Online(serverToClient, clientToServer, Rounds),
            Phase.Preprocessing => CommunicationCost.Preprocessing(serverToClient, clientToServer, Rounds),
            _ => throw new ArgumentException($"an OT call is booked as pre-processing or online, not {phase}", nameof(phase)),
        };
    }

    public static OtTraffic operator +(OtTraffic a, OtTraffic b) =>
        new(a.SenderBytes + b.SenderBytes, a.ReceiverBytes + b.ReceiverBytes, a.Rounds + b.Rounds);

    public OtTraffic Times(long k) => new(SenderBytes * k, ReceiverBytes * k, Rounds * k);
}
