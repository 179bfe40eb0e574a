using CoPriv.Protocols.Channels;

namespace CoPriv.Actors.Channel;

/// <summary>
/// One party's end of a session's data plane, whichever transport carries the protocol bytes: actor messages
/// (<see cref="ActorChannel"/>, chunks under flow control over Akka.Remote) or a direct TCP/TLS connection
/// (<see cref="TcpSessionDataPlane"/>). The session actor runs its steps on <see cref="Channel"/> and closes the
/// plane through the same calls for both, so a session's lifecycle does not depend on the transport.
/// </summary>
public interface ISessionDataPlane : IDisposable
{
    /// <summary>The channel the session's steps run on; its meter counts every byte in both directions.</summary>
    IChannel Channel { get; }

    /// <summary>The most unacknowledged bytes a stream has had outstanding (actor transport; 0 where TCP paces).</summary>
    long PeakInFlightBytes { get; }

    /// <summary>A chunk from the peer's actor (actor transport only: on TCP it is the peer's protocol error).</summary>
    void Deliver(PayloadChunk chunk);

    /// <summary>Credit from the peer's actor (actor transport only).</summary>
    void Credit(PayloadCredit credit);

    /// <summary>Closes this end because of a failure here, naming the step, and tells the peer's session.</summary>
    void Abort(string? step, string reason);

    /// <summary>Closes this end because the peer aborted or is gone; nothing is sent back.</summary>
    void CloseByPeer(string reason);
}
