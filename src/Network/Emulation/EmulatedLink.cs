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
    private long _latenessTicks, _maxLatenessTicks;

    private EmulatedLink(ILinkModel model, TimeSpan receiveTimeout)
    {
        Model = model;
        ServerToClient = new LinkDirection(model, seed: 1);
        ClientToServer = new LinkDirection(model, seed: 2);
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

    /// <summary>
    /// How late the emulator handed over messages in total: for each receive, the real time between the moment the
    /// message was due (its arrival, or the receive call if later) and the moment the receive returned. On an idle
    /// machine this is microseconds; large values mean the machine could not keep up and the emulated figures
    /// overstate the link's delays.
    /// </summary>
    public TimeSpan TotalLateness => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _latenessTicks));

    /// <summary>The latest a single message was handed over (see <see cref="TotalLateness"/>).</summary>
    public TimeSpan MaxLateness => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _maxLatenessTicks));

    internal void RecordLateness(long dueTimestamp)
    {
        long late = Stopwatch.GetTimestamp() - dueTimestamp;
        if (late <= 0) return;
        Interlocked.Add(ref _latenessTicks, late);
        long max;
        while (late > (max = Interlocked.Read(ref _maxLatenessTicks))
               && Interlocked.CompareExchange(ref _maxLatenessTicks, late, max) != max)
        {
        }
    }

    internal long TimestampAt(double seconds) => _epoch + (long)Math.Ceiling(seconds * Stopwatch.Frequency);

    public void Deconstruct(out EmulatedChannel server, out EmulatedChannel client)
    {
        server = Server;
        client = Client;
    }
}
