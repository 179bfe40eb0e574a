using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tcp;

/// <summary>
/// Accepts the data-plane connection of one session (usually at the server): the connecting peer must present the
/// session id and token of the listener's options, anything else is refused with the reason. For a party that serves
/// many sessions on one port use <see cref="DataPlaneListener"/>. Bind to port 0 to let the OS choose a free port and
/// read it from <see cref="LocalEndPoint"/>.
/// </summary>
public sealed class TcpChannelListener : IDisposable
{
    private readonly Socket _socket;
    private readonly TcpChannelOptions _options;

    private TcpChannelListener(Socket socket, PartyRole role, TcpChannelOptions options)
    {
        _socket = socket;
        Role = role;
        _options = options;
    }

    /// <summary>
    /// Listens on <paramref name="endpoint"/>; the options carry the TLS certificate (or Insecure) and the session id
    /// and token the peer must present.
    /// </summary>
    public static TcpChannelListener Start(IPEndPoint endpoint, PartyRole role, TcpChannelOptions options, int backlog = 16)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(accepting: true);
        return new TcpChannelListener(Listen(endpoint, backlog), role, options);
    }

    /// <summary>The role of the channels this listener accepts (the connecting peer must play the other).</summary>
    public PartyRole Role { get; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>
    /// Waits for the next connection and completes its handshake; throws (after telling the peer why) if its
    /// hello names another session or another token.
    /// </summary>
    public async Task<TcpChannel> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return await TcpChannel.AcceptAsync(socket, Role, _options, AdmitOnlyThisSession, cancellationToken).ConfigureAwait(false);
    }

    private string? AdmitOnlyThisSession(PeerHello hello)
    {
        if (hello.SessionId != _options.SessionId)
            return $"this end serves session '{_options.SessionId}', not '{hello.SessionId}'";
        if (!CryptographicOperations.FixedTimeEquals(hello.Token, _options.SessionToken))
            return $"the session token for session '{hello.SessionId}' is wrong";
        return null;
    }

    internal static Socket Listen(IPEndPoint endpoint, int backlog)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();
}
