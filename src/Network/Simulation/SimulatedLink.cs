using CoPriv.Network.Links;
using CoPriv.Network.Transport;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Simulation;

/// <summary>
/// A server end and a client end joined by a modelled link, in one process, in virtual time: messages are handed
/// over at once, stamped with when they would arrive (<see cref="LinkDirection"/> per direction), and each party's
/// <see cref="VirtualClock"/> turns its measured compute and those stamps into simulated time. The run reports
/// the simulated end-to-end latency without ever sleeping.
/// </summary>
public sealed class SimulatedLink
{
    private SimulatedLink(ILinkModel model, ComputeTimer timer, TimeSpan receiveTimeout)
    {
        Model = model;
        ServerToClient = new LinkDirection(model, seed: 1);
        ClientToServer = new LinkDirection(model, seed: 2);
        var hub = new StreamPairHub(receiveTimeout);
        Server = new SimulatedChannel(this, hub, PartyRole.Server, ServerToClient, new VirtualClock(timer));
        Client = new SimulatedChannel(this, hub, PartyRole.Client, ClientToServer, new VirtualClock(timer));
    }

    /// <summary>
    /// A connected pair over <paramref name="model"/>. A receive that waits longer than
    /// <paramref name="receiveTimeout"/> of real time fails with a <see cref="ProtocolException"/> (default: wait as
    /// long as the peer is alive).
    /// </summary>
    public static SimulatedLink CreatePair(ILinkModel model, ComputeTimer timer = ComputeTimer.ThreadCpu,
        TimeSpan? receiveTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new SimulatedLink(model, timer, receiveTimeout ?? Timeout.InfiniteTimeSpan);
    }

    public ILinkModel Model { get; }
    public SimulatedChannel Server { get; }
    public SimulatedChannel Client { get; }
    public LinkDirection ServerToClient { get; }
    public LinkDirection ClientToServer { get; }

    /// <summary>The simulated time at which the later of the two parties has finished its last event.</summary>
    public TimeSpan EndToEndLatency =>
        Latency.FromSeconds(Math.Max(Server.Clock.NowSeconds, Client.Clock.NowSeconds));

    public void Deconstruct(out SimulatedChannel server, out SimulatedChannel client)
    {
        server = Server;
        client = Client;
    }
}
