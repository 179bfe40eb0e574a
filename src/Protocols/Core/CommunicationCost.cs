using CoPriv.Protocols.Channels;

namespace CoPriv.Protocols.Core;

/// <summary>
/// What a protocol puts on the wire, in bytes per direction and phase, and its rounds (flights summed over both
/// parties and all streams, as <see cref="TrafficMeter"/> counts them), and the correlated OTs it takes from each
/// OT instance's backend (<see cref="ServerSentCots"/>: the instance in which the server sends). Cost functions
/// return this; the tests hold it against the meters byte for byte and COT for COT.
/// </summary>
public readonly record struct CommunicationCost(
    long PreprocessingServerToClient,
    long PreprocessingClientToServer,
    long OnlineServerToClient,
    long OnlineClientToServer,
    long Rounds,
    long ServerSentCots = 0,
    long ClientSentCots = 0)
{
    public static CommunicationCost Zero => default;

    public static CommunicationCost Online(long serverToClient, long clientToServer, long rounds) =>
        new(0, 0, serverToClient, clientToServer, rounds);

    public static CommunicationCost Preprocessing(long serverToClient, long clientToServer, long rounds) =>
        new(serverToClient, clientToServer, 0, 0, rounds);

    /// <summary>Bytes sent by the given party in the given direction sense.</summary>
    public long SentBy(PartyRole role) => role == PartyRole.Server
        ? PreprocessingServerToClient + OnlineServerToClient
        : PreprocessingClientToServer + OnlineClientToServer;

    public long PreprocessingBytes => PreprocessingServerToClient + PreprocessingClientToServer;
    public long OnlineBytes => OnlineServerToClient + OnlineClientToServer;
    public long TotalBytes => PreprocessingBytes + OnlineBytes;

    /// <summary>The same traffic booked to another phase (e.g. a sub-protocol run ahead of time).</summary>
    public CommunicationCost InPhase(Phase phase) => phase switch
    {
        Phase.Online => new(0, 0, PreprocessingServerToClient + OnlineServerToClient,
            PreprocessingClientToServer + OnlineClientToServer, Rounds, ServerSentCots, ClientSentCots),
        Phase.Preprocessing => new(PreprocessingServerToClient + OnlineServerToClient,
            PreprocessingClientToServer + OnlineClientToServer, 0, 0, Rounds, ServerSentCots, ClientSentCots),
        _ => throw new ArgumentException($"a protocol cost is booked as pre-processing or online, not {phase}"),
    };

    /// <summary>The same traffic with the roles swapped (a sub-protocol run with the other party as sender).</summary>
    public CommunicationCost Swapped() => new(PreprocessingClientToServer, PreprocessingServerToClient,
        OnlineClientToServer, OnlineServerToClient, Rounds, ClientSentCots, ServerSentCots);

    public CommunicationCost Times(long k) => new(PreprocessingServerToClient * k, PreprocessingClientToServer * k,
        OnlineServerToClient * k, OnlineClientToServer * k, Rounds * k, ServerSentCots * k, ClientSentCots * k);

    public static CommunicationCost operator +(CommunicationCost a, CommunicationCost b) => new(
        a.PreprocessingServerToClient + b.PreprocessingServerToClient,
        a.PreprocessingClientToServer + b.PreprocessingClientToServer,
        a.OnlineServerToClient + b.OnlineServerToClient,
        a.OnlineClientToServer + b.OnlineClientToServer,
        a.Rounds + b.Rounds,
        a.ServerSentCots + b.ServerSentCots,
        a.ClientSentCots + b.ClientSentCots);

    /// <summary>
    /// The cost as measured by the two meters of a run: server-sent bytes are server→client, and so on; setup
    /// traffic is left out (it is reported on its own).
    /// </summary>
    public static CommunicationCost Measured(TrafficMeter server, TrafficMeter client, Func<TrafficRecord, bool>? filter = null)
    {
        long ps = 0, pc = 0, os = 0, oc = 0, rounds = 0, serverCots = 0, clientCots = 0;
        foreach (var r in server.Snapshot())
        {
            if (r.Phase == Phase.Setup || (filter is not null && !filter(r))) continue;
            if (r.Phase == Phase.Preprocessing) ps += r.BytesSent; else os += r.BytesSent;
            rounds += r.Rounds;
            serverCots += r.CotsSent;
        }
        foreach (var r in client.Snapshot())
        {
            if (r.Phase == Phase.Setup || (filter is not null && !filter(r))) continue;
            if (r.Phase == Phase.Preprocessing) pc += r.BytesSent; else oc += r.BytesSent;
            rounds += r.Rounds;
            clientCots += r.CotsSent;
        }
        return new CommunicationCost(ps, pc, os, oc, rounds, serverCots, clientCots);
    }

    public override string ToString() =>
        $"pre {PreprocessingServerToClient}+{PreprocessingClientToServer} B, online {OnlineServerToClient}+{OnlineClientToServer} B, {Rounds} rounds" +
        (ServerSentCots + ClientSentCots > 0 ? $", COTs {ServerSentCots}+{ClientSentCots}" : "");
}
