using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;

namespace CoPriv.Actors.Remoting;

/// <summary>
/// Counts the frames of one Akka.Remote connection into <see cref="RemoteTraffic"/>: under the connection's socket
/// address until the peer's ASSOCIATE frame names the peer (Akka's handshake: each side's first frame announces its
/// address, also on an inbound connection whose socket address is an ephemeral port), then under that address. The
/// transport's writer and reader threads count concurrently; a lock per connection keeps the switch exact.
/// </summary>
internal sealed class ConnectionMeter(RemoteTraffic registry, RemoteTraffic.Counts pending)
{
    private static readonly SchemeAugmenter AkkaProtocolScheme = new(RemoteSettings.AkkaScheme);
    private readonly object _gate = new();
    private RemoteTraffic.Counts _counts = pending;
    private bool _handshaken, _closed;

    public void Sent(ReadOnlySpan<byte> frame)
    {
        bool message = AkkaPduFrame.CarriesMessage(frame);
        lock (_gate) _counts.Sent(frame.Length, message);
    }

    public void Received(ReadOnlySpan<byte> frame)
    {
        bool message = AkkaPduFrame.CarriesMessage(frame);
        lock (_gate)
        {
            _counts.Received(frame.Length, message);
            if (!_handshaken && AkkaPduFrame.AssociateOrigin(frame) is { } origin)
            {
                _counts = registry.Handshaken(_counts, PeerName(origin));
                _handshaken = true;
            }
        }
    }

    /// <summary>
    /// A node's address as Akka.Remote's associations and cluster name it (<c>akka.ssl.tcp://…</c>) from the address
    /// of the transport below Akka's protocol layer (<c>ssl.tcp://…</c>), which adds its scheme.
    /// </summary>
    public static string PeerName(Address transportAddress) => AkkaProtocolScheme.AugmentScheme(transportAddress).ToString();

    public void Close()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            registry.Closed(_counts);
        }
    }
}
