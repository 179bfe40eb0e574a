using Akka.Actor;
using CoPriv.Actors.Sessions;
using CoPriv.Network.Tcp;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Channel;

/// <summary>
/// A session's data plane over its own TCP connection (TLS unless insecure) to the peer: the protocol bytes never
/// pass through Akka. The session's control messages (finished, aborted) still go actor to actor; an abort is also
/// written to the connection, so the peer's blocked protocol thread ends at once.
/// </summary>
public sealed class TcpSessionDataPlane(TcpChannel channel, string sessionId, IActorRef owner, IActorRef peer) : ISessionDataPlane
{
    private int _peerTold;

    public IChannel Channel => channel;

    public long PeakInFlightBytes => 0;

    /// <summary>The connection as the inspector shows it: <c>tcp local → remote, TLS</c> (or plaintext).</summary>
    public string Description => $"tcp {channel.LocalEndPoint} -> {channel.RemoteEndPoint}, {(channel.IsEncrypted ? "TLS" : "plaintext")}";

    public void Deliver(PayloadChunk chunk) =>
        throw new ProtocolException($"session {sessionId}: the peer sent an actor chunk on stream '{chunk.Stream}', but this session's data plane is TCP");

    public void Credit(PayloadCredit credit) =>
        throw new ProtocolException($"session {sessionId}: the peer sent actor credit on stream '{credit.Stream}', but this session's data plane is TCP");

    public void Abort(string? step, string reason)
    {
        channel.Fail(reason);
        if (Interlocked.Exchange(ref _peerTold, 1) == 0) peer.Tell(new SessionAborted(sessionId, channel.Role, step, reason), owner);
    }

    public void CloseByPeer(string reason)
    {
        Interlocked.Exchange(ref _peerTold, 1);
        channel.Fail(reason);
    }

    public void Dispose() => channel.Dispose();
}
