using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// What one OT call puts on the wire, by OT role: bytes sent by the OT sender and by the OT receiver, and rounds
/// (flights, as <see cref="TrafficMeter"/> counts them, summed over both ends); and the correlated OTs it takes
/// from the instance's backend (<see cref="Cots"/>), which a backend that makes them in batches (Ferret) pays for
/// per batch in the session's setup traffic (<see cref="OtBackendCosts.GenerationBytes"/>).
/// </summary>
public readonly record struct OtTraffic(long SenderBytes, long ReceiverBytes, long Rounds, long Cots = 0)
{
    public long TotalBytes => SenderBytes + ReceiverBytes;

    /// <summary>The call as a <see cref="CommunicationCost"/> when <paramref name="sender"/> is the OT sender.</summary>
    public CommunicationCost ToCost(PartyRole sender, Phase phase = Phase.Online)
    {
        long serverToClient = sender == PartyRole.Server ? SenderBytes : ReceiverBytes;
        long clientToServer = sender == PartyRole.Server ? ReceiverBytes : SenderBytes;
        var cost = phase switch
        {
            Phase.Online => CommunicationCost.Online(serverToClient, clientToServer, Rounds),
            Phase.Preprocessing => CommunicationCost.Preprocessing(serverToClient, clientToServer, Rounds),
            _ => throw new ArgumentException($"an OT call is booked as pre-processing or online, not {phase}", nameof(phase)),
        };
        return sender == PartyRole.Server ? cost with { ServerSentCots = Cots } : cost with { ClientSentCots = Cots };
    }

    public static OtTraffic operator +(OtTraffic a, OtTraffic b) =>
        new(a.SenderBytes + b.SenderBytes, a.ReceiverBytes + b.ReceiverBytes, a.Rounds + b.Rounds, a.Cots + b.Cots);

    public OtTraffic Times(long k) => new(SenderBytes * k, ReceiverBytes * k, Rounds * k, Cots * k);
}
