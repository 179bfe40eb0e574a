using System.Diagnostics;
using CoPriv.Network.Links;
using CoPriv.Network.Transport;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Emulation;

/// <summary>
/// A server end and a client end joined by a modelled link in real time: a message becomes receivable only at its
/// real arrival time (first-come-first-served transmission per direction, then the one-way latency), so a protocol
/// run over it is slowed down as it would be on that link. Senders never block, as with ample socket buffers.
/// </summary>
public sealed class EmulatedLink
{
    private readonly long _epoch = Stopwatch.GetTimestamp();

    private EmulatedLink(ILinkModel model, TimeSpan receiveTimeout)
    {
        Model = model;
        ServerToClient = new LinkDirection(model);
        ClientToServer = new LinkDirection(model);
        var hub = new StreamPairHub(receiveTimeout);
        Server = new EmulatedChannel(this, hub, PartyRole.Server, ServerToClient);
        Client = new EmulatedChannel(this, hub, PartyRole.Client, ClientToServer);
    }

    /// <summary>A connected pair over <paramref name="model"/> whose time starts now.</summary>
    public static EmulatedLink CreatePair(ILinkModel model, TimeSpan? receiveTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new EmulatedLink(model, receiveTimeout ?? Timeout.InfiniteTimeSpan);
    }

    public ILinkModel Model { get; }
    public EmulatedChannel Server { get; }
    public EmulatedChannel Client { get; }
    public LinkDirection ServerToClient { get; }
    public LinkDirection ClientToServer { get; }

    /// <summary>Real seconds since the pair was created: the clock the link directions are booked on.</summary>
    public double ElapsedSeconds => (Stopwatch.GetTimestamp() - _epoch) / (double)Stopwatch.Frequency;

    internal long TimestampAt(double seconds) => _epoch + (long)Math.Ceiling(seconds * Stopwatch.Frequency);

    public void Deconstruct(out EmulatedChannel server, out EmulatedChannel client)
    {
        server = Server;
        client = Client;
    }
}
