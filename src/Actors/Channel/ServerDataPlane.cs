using CoPriv.Network.Tcp;

namespace CoPriv.Actors.Channel;

/// <summary>
/// A server's direct data plane: the listener every session's connection arrives at (TLS with the server's certificate
/// unless insecure) and the host name clients reach it by. Each accepted session expects its client on it with a fresh
/// token, which the client gets in <c>SessionAccepted</c>.
/// </summary>
public sealed record ServerDataPlane(DataPlaneListener Listener, string PublicHost, bool Tls);
