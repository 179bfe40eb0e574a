using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tcp;

/// <summary>
/// Turns a connected socket into the stream a <see cref="TcpChannel"/> runs on: TLS 1.3 unless the options say
/// insecure (the accepting end is the TLS server and the connecting end pins its certificate), then the hello and
/// its answer inside it. Everything is bounded by the handshake timeout and failures name the peer.
/// </summary>
internal static class TcpHandshake
{
    // The connecting end does not check the name (trust comes from the pinned fingerprint); it is only sent as SNI.
    private const string TargetHost = "copriv-data-plane";
    // Room for the TLS records' own bytes (header and tag, 22 bytes per record of at most 16 KiB) around one batch.
    private const int TlsRecordSlack = 64 * 1024;

    /// <summary>
    /// TLS 1.3's suites with AES-128-GCM first: OpenSSL's default order puts AES-256-GCM first, whose 14 rounds to
    /// AES-128's 10 cost throughput for no protection a session needs. Null (the platform's order) where the platform
    /// does not let a program choose.
    /// </summary>
    private static readonly CipherSuitesPolicy? PreferredCipherSuites = OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()
        ? new CipherSuitesPolicy([
            TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256])
        : null;

    /// <summary>Runs the connecting end's side; returns the stream to frame on.</summary>
    public static async Task<Stream> ConnectAsync(Socket socket, PartyRole role, TcpChannelOptions options, CancellationToken ct)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        var stream = Wrap(socket, options);
        try
        {
            await WithinTimeoutAsync(options, peer, ct, async timeout =>
            {
                if (stream is SslStream tls) await AuthenticateServerAsync(tls, peer, options.PinnedFingerprint!, timeout).ConfigureAwait(false);
                await stream.WriteAsync(TcpWireFormat.Hello(role, options.SessionId, options.SessionToken), timeout).ConfigureAwait(false);
                await TcpWireFormat.ReadAnswerAsync(stream, role, peer, timeout).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs the accepting end's side: reads the hello, asks <paramref name="admit"/> (null: welcome, else the reason
    /// for refusing) and answers. Returns the stream and the hello; a refused peer is told why, then this throws.
    /// </summary>
    public static async Task<(Stream Stream, PeerHello Hello)> AcceptAsync(Socket socket, PartyRole role,
        TcpChannelOptions options, Func<PeerHello, string?> admit, CancellationToken ct)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        var stream = Wrap(socket, options);
        try
        {
            PeerHello? hello = null;
            await WithinTimeoutAsync(options, peer, ct, async timeout =>
            {
                if (stream is SslStream tls)
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = options.Certificate!.ServerContext,
                        EnabledSslProtocols = SslProtocols.Tls13,
                        ClientCertificateRequired = false,
                        CipherSuitesPolicy = PreferredCipherSuites,
                        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                    }, timeout).ConfigureAwait(false);
                string? refusal;
                try
                {
                    hello = await TcpWireFormat.ReadHelloAsync(stream, role, peer, timeout).ConfigureAwait(false);
                    refusal = admit(hello);
                }
                catch (ProtocolException e) when (e is not ChannelClosedException)
                {
                    await TellRefusedAsync(stream, role, e.Message, timeout).ConfigureAwait(false);
                    throw;
                }
                if (refusal is not null)
                {
                    await TellRefusedAsync(stream, role, refusal, timeout).ConfigureAwait(false);
                    throw new ProtocolException($"refused the data-plane connection from {peer}: {refusal}");
                }
                await stream.WriteAsync(TcpWireFormat.Answer(role, refusal: null), timeout).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return (stream, hello!);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Stream Wrap(Socket socket, TcpChannelOptions options)
    {
        socket.NoDelay = true;
        socket.SendBufferSize = options.SocketBufferBytes;
        socket.ReceiveBufferSize = options.SocketBufferBytes;
        var network = new NetworkStream(socket, ownsSocket: false);
        return options.Insecure
            ? network
            : new SslStream(new SocketBatchingStream(network, TcpChannel.SendBatchBytes + TlsRecordSlack), leaveInnerStreamOpen: false);
    }

    private static async Task AuthenticateServerAsync(SslStream tls, string peer, CertificateFingerprint pinned, CancellationToken ct)
    {
        CertificateFingerprint? presented = null;
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = TargetHost,
                EnabledSslProtocols = SslProtocols.Tls13,
                CipherSuitesPolicy = PreferredCipherSuites,
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                // Self-signed, so chain and name errors are expected; the fingerprint alone decides.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate is null ? null : CertificateFingerprint.Of(certificate);
                    return pinned.Equals(presented);
                },
            }, ct).ConfigureAwait(false);
        }
        catch (AuthenticationException e) when (presented is not null && !pinned.Equals(presented))
        {
            throw new ProtocolException(
                $"the data-plane server at {peer} presented a certificate with fingerprint {presented.Abbreviated}, but this end pins {pinned.Abbreviated}: refused during the TLS handshake, before any session byte",
                e);
        }
    }

    private static async Task TellRefusedAsync(Stream stream, PartyRole role, string reason, CancellationToken ct)
    {
        try
        {
            await stream.WriteAsync(TcpWireFormat.Answer(role, reason), ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer is gone already; this end still reports the refusal.
        }
    }

    private static async Task WithinTimeoutAsync(TcpChannelOptions options, string peer, CancellationToken ct,
        Func<CancellationToken, Task> handshake)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.HandshakeTimeout);
        try
        {
            await handshake(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProtocolException(
                $"the handshake with the peer at {peer} did not complete within {options.HandshakeTimeout.TotalSeconds:0.###} s");
        }
        catch (AuthenticationException e)
        {
            throw new ProtocolException(
                $"the TLS handshake with the peer at {peer} failed ({e.Message}); both ends must use TLS, or both be insecure", e);
        }
        catch (IOException e)
        {
            throw new ChannelClosedException($"the connection to {peer} broke during the handshake: {e.Message}", e);
        }
    }
}
