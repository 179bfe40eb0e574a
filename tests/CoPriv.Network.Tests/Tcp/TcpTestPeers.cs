using System.Net;
using System.Net.Sockets;
using CoPriv.Network.Tcp;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tests.Tcp;

/// <summary>Connected channel pairs on loopback, and a hand-driven raw peer for malformed traffic.</summary>
internal static class TcpTestPeers
{
    public static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    /// <summary>A server end accepted from a listener on an OS-chosen loopback port and the client end connected to it.</summary>
    public static async Task<(TcpChannel Server, TcpChannel Client)> ConnectedPairAsync(TcpChannelOptions? options = null)
    {
        using var listener = TcpChannelListener.Start(AnyLoopbackPort, PartyRole.Server, options);
        var accept = listener.AcceptAsync();
        var client = await TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Client, options);
        return (await accept, client);
    }

    /// <summary>
    /// A raw socket connected to an accepting <see cref="TcpChannelListener"/>, with the server's channel. When
    /// <paramref name="hello"/> is null the raw side sends a correct client hello.
    /// </summary>
    public static async Task<(Task<TcpChannel> Server, Socket Raw)> RawClientAsync(byte[]? hello = null)
    {
        var listener = TcpChannelListener.Start(AnyLoopbackPort, PartyRole.Server,
            new TcpChannelOptions { HandshakeTimeout = TimeSpan.FromSeconds(5) });
        var accept = listener.AcceptAsync().ContinueWith(t => { listener.Dispose(); return t; }).Unwrap();
        var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await raw.ConnectAsync(listener.LocalEndPoint);
        await raw.SendAsync(hello ?? TcpWireFormat.Hello(PartyRole.Client, ""));
        return (accept, raw);
    }

    public static byte[] Frame(TcpWireFormat.FrameKind kind, uint stream, byte[] payload, int? claimedLength = null)
    {
        var frame = new byte[TcpWireFormat.FrameHeaderBytes + payload.Length];
        TcpWireFormat.WriteFrameHeader(frame, kind, stream, claimedLength ?? payload.Length);
        payload.CopyTo(frame, TcpWireFormat.FrameHeaderBytes);
        return frame;
    }
}
