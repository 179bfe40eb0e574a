using Akka.Actor;

namespace CoPriv.Actors.Remoting;

/// <summary>
/// What went over Akka.Remote between this node and one peer node since this node started, in each direction:
/// <see cref="BytesSent"/> and <see cref="BytesReceived"/> count every frame Akka.Remote wrote to or read from the
/// transport (the encoded <c>AkkaProtocolMessage</c>; DotNetty's 4-byte length prefix and TLS records come on top),
/// <see cref="MessagesSent"/> and <see cref="MessagesReceived"/> the frames among them that carried an actor message
/// (ours and Akka's own: cluster gossip and heartbeats, death watch; not acknowledgements or the transport's
/// handshake and heartbeats). <see cref="Peer"/> is the address the peer announced in its handshake, or the
/// connection's socket address while (or when) it never completed one.
/// </summary>
public sealed record PeerTraffic(
    string Peer, long BytesSent, long BytesReceived, long MessagesSent, long MessagesReceived, int OpenConnections, bool Handshaken);

/// <summary>
/// The Akka.Remote traffic of one ActorSystem, per peer node, as <see cref="RemoteTrafficAdapterProvider"/> counts it
/// on the transport (<c>akka.remote.dot-netty.tcp.applied-adapters = [copriv-traffic]</c>, in the actor runtime's
/// remote defaults). The inspector's <c>remote show</c> reads it. Peers with no open connection are forgotten, least
/// recently closed first, beyond <see cref="RememberedPeers"/>.
/// </summary>
public sealed class RemoteTraffic : IExtension
{
    /// <summary>How many peers are remembered at most (a long-running server sees every client's node once).</summary>
    public const int RememberedPeers = 1000;

    private readonly object _gate = new();
    private readonly Dictionary<string, Counts> _peers = new(StringComparer.Ordinal);
    private readonly HashSet<Counts> _pending = [];
    private int _transports;

    public static RemoteTraffic For(ActorSystem system) => system.WithExtension<RemoteTraffic, RemoteTrafficProvider>();

    /// <summary>Whether a transport of this system is metered (the adapter is applied); false: no counts are kept.</summary>
    public bool Metered => Volatile.Read(ref _transports) > 0;

    internal void TransportMetered() => Interlocked.Increment(ref _transports);

    /// <summary>Every peer seen (handshaken or not), by address.</summary>
    public IReadOnlyList<PeerTraffic> Snapshot()
    {
        lock (_gate)
        {
            return _peers.Values.Concat(_pending).Select(c => c.View()).OrderBy(p => p.Peer, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>A connection was opened to or from <paramref name="socketAddress"/>; it counts apart until its peer's handshake names it.</summary>
    internal ConnectionMeter Open(string socketAddress)
    {
        var counts = new Counts(socketAddress) { OpenConnections = 1 };
        lock (_gate) _pending.Add(counts);
        return new ConnectionMeter(this, counts);
    }

    /// <summary>Moves a connection's counts so far onto its peer's and returns the peer's, which it counts into from now on.</summary>
    internal Counts Handshaken(Counts pending, string peer)
    {
        lock (_gate)
        {
            _pending.Remove(pending);
            if (!_peers.TryGetValue(peer, out var counts)) _peers[peer] = counts = new Counts(peer);
            counts.Absorb(pending);
            counts.Handshaken = true;
            return counts;
        }
    }

    internal void Closed(Counts counts)
    {
        lock (_gate)
        {
            counts.OpenConnections--;
            counts.LastClosed = DateTime.UtcNow;
            // A connection that never completed a handshake is kept under its socket address (which, dialled, is the
            // peer's own address: a failed attempt then adds to that peer).
            if (_pending.Remove(counts))
            {
                if (_peers.TryGetValue(counts.Peer, out var known)) known.Absorb(counts);
                else _peers[counts.Peer] = counts;
            }
            if (_peers.Count <= RememberedPeers) return;
            foreach (var forgotten in _peers.Values.Where(c => c.OpenConnections == 0).OrderBy(c => c.LastClosed)
                         .Take(_peers.Count - RememberedPeers).ToArray())
                _peers.Remove(forgotten.Peer);
        }
    }

    /// <summary>One peer's counters; counting is lock-free, opening and closing take the registry's lock.</summary>
    internal sealed class Counts(string peer)
    {
        private long _bytesSent, _bytesReceived, _messagesSent, _messagesReceived;

        public string Peer { get; } = peer;
        public int OpenConnections { get; set; }
        public bool Handshaken { get; set; }
        public DateTime LastClosed { get; set; }

        public void Sent(int bytes, bool message)
        {
            Interlocked.Add(ref _bytesSent, bytes);
            if (message) Interlocked.Increment(ref _messagesSent);
        }

        public void Received(int bytes, bool message)
        {
            Interlocked.Add(ref _bytesReceived, bytes);
            if (message) Interlocked.Increment(ref _messagesReceived);
        }

        public void Absorb(Counts other)
        {
            Interlocked.Add(ref _bytesSent, Interlocked.Exchange(ref other._bytesSent, 0));
            Interlocked.Add(ref _bytesReceived, Interlocked.Exchange(ref other._bytesReceived, 0));
            Interlocked.Add(ref _messagesSent, Interlocked.Exchange(ref other._messagesSent, 0));
            Interlocked.Add(ref _messagesReceived, Interlocked.Exchange(ref other._messagesReceived, 0));
            OpenConnections += other.OpenConnections;
        }

        public PeerTraffic View() => new(Peer, Interlocked.Read(ref _bytesSent), Interlocked.Read(ref _bytesReceived),
            Interlocked.Read(ref _messagesSent), Interlocked.Read(ref _messagesReceived), OpenConnections, Handshaken);
    }
}

public sealed class RemoteTrafficProvider : ExtensionIdProvider<RemoteTraffic>
{
    public override RemoteTraffic CreateExtension(ExtendedActorSystem system) => new();
}
