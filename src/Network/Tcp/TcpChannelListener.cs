using System.Net;
using System.Net.Sockets;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tcp;

/// <summary>
/// Accepts data-plane connections for one party (usually the server): each accepted connection becomes a
/// <see cref="TcpChannel"/> once the peer's hello checks out. Bind to port 0 to let the OS choose a free port and
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

    public static TcpChannelListener Start(IPEndPoint endpoint, PartyRole role, TcpChannelOptions? options = null, int backlog = 16)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TcpChannelListener(socket, role, options ?? TcpChannelOptions.Default);
    }

    /// <summary>The role of the channels this listener accepts (the connecting peer must play the other).</summary>
    public PartyRole Role { get; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Waits for the next connection and completes its handshake.</summary>
    public async Task<TcpChannel> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return await TcpChannel.HandshakeAsync(socket, Role, _options, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _socket.Dispose();
}
