using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CoPriv.Network.Tcp;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tests.Tcp;

/// <summary>Connected channel pairs on loopback, and a hand-driven raw peer for malformed traffic.</summary>
internal static class TcpTestPeers
{
    public static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    /// <summary>One certificate for all tests: creating one per test would only cost time.</summary>
    public static readonly DataPlaneCertificate Certificate = DataPlaneCertificate.CreateEphemeral();

    public static TcpChannelOptions ServerOptions(bool insecure = false) =>
        insecure ? new TcpChannelOptions { Insecure = true } : new TcpChannelOptions { Certificate = Certificate };

    public static TcpChannelOptions ClientOptions(bool insecure = false) =>
        insecure ? new TcpChannelOptions { Insecure = true } : new TcpChannelOptions { PinnedFingerprint = Certificate.Fingerprint };

    /// <summary>
    /// A server end accepted from a listener on an OS-chosen loopback port and the client end connected to it;
    /// <paramref name="adjust"/> changes both ends' options, then <paramref name="adjustClient"/> the client's.
    /// </summary>
    public static async Task<(TcpChannel Server, TcpChannel Client)> ConnectedPairAsync(bool insecure = false,
        Func<TcpChannelOptions, TcpChannelOptions>? adjust = null, Func<TcpChannelOptions, TcpChannelOptions>? adjustClient = null)
    {
        adjust ??= o => o;
        adjustClient ??= o => o;
        using var listener = TcpChannelListener.Start(AnyLoopbackPort, PartyRole.Server, adjust(ServerOptions(insecure)));
        var accept = listener.AcceptAsync();
        var client = await TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Client, adjustClient(adjust(ClientOptions(insecure))));
        return (await accept, client);
    }

    /// <summary>
    /// A hand-driven client connected to an accepting <see cref="TcpChannelListener"/>, with the server's channel.
    /// When <paramref name="hello"/> is null the raw side sends a correct client hello.
    /// </summary>
    public static async Task<(Task<TcpChannel> Server, RawPeer Raw)> RawClientAsync(byte[]? hello = null, bool tls = false)
    {
        var options = ServerOptions(insecure: !tls) with { HandshakeTimeout = TimeSpan.FromSeconds(5) };
        var listener = TcpChannelListener.Start(AnyLoopbackPort, PartyRole.Server, options);
        var accept = listener.AcceptAsync().ContinueWith(t => { listener.Dispose(); return t; }).Unwrap();
        var raw = await RawPeer.ConnectAsync(listener.LocalEndPoint, tls);
        await raw.SendAsync(hello ?? TcpWireFormat.Hello(PartyRole.Client, "", []));
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

/// <summary>A client that writes whatever the test says, in plaintext or inside TLS (trusting any certificate).</summary>
internal sealed class RawPeer : IDisposable
{
    private readonly Socket _socket;

    private RawPeer(Socket socket, Stream stream)
    {
        _socket = socket;
        Stream = stream;
    }

    public Stream Stream { get; }

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endpoint, bool tls)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "test",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            stream = ssl;
        }
        return new RawPeer(socket, stream);
    }

    public async Task SendAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes);
        await Stream.FlushAsync();
    }

    /// <summary>Ends this side's sending (the peer reads the end of the stream).</summary>
    public async Task ShutdownSendAsync()
    {
        if (Stream is SslStream ssl) await ssl.ShutdownAsync();
        _socket.Shutdown(SocketShutdown.Send);
    }

    public void Dispose()
    {
        Stream.Dispose();
        _socket.Dispose();
    }
}
