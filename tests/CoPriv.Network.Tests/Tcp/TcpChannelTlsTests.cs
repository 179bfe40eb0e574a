using CoPriv.Network.Tcp;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tests.Tcp;

public class TcpChannelTlsTests
{
    [Fact]
    public async Task A_server_with_another_certificate_is_refused_during_the_tls_handshake_naming_both_fingerprints()
    {
        using var impostor = DataPlaneCertificate.CreateEphemeral();
        using var listener = TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server,
            new TcpChannelOptions { Certificate = impostor });
        var accept = listener.AcceptAsync();

        var e = await Assert.ThrowsAsync<ProtocolException>(() =>
            TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Client, TcpTestPeers.ClientOptions()));
        Assert.Contains(impostor.Fingerprint.Abbreviated, e.Message);
        Assert.Contains(TcpTestPeers.Certificate.Fingerprint.Abbreviated, e.Message);
        Assert.Contains("before any session byte", e.Message);
        // The impostor never got a hello: its handshake failed in TLS.
        var refused = await Assert.ThrowsAnyAsync<ProtocolException>(() => accept);
        Assert.DoesNotContain("hello", refused.Message);
    }

    [Fact]
    public async Task Tls_is_the_default_and_an_end_without_certificate_or_pin_is_refused_before_connecting()
    {
        var noCertificate = Assert.Throws<ArgumentException>(() =>
            TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server, new TcpChannelOptions()));
        Assert.Contains("Insecure", noCertificate.Message);

        using var listener = TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server, TcpTestPeers.ServerOptions());
        var noPin = await Assert.ThrowsAsync<ArgumentException>(() =>
            TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Client, new TcpChannelOptions()));
        Assert.Contains("PinnedFingerprint", noPin.Message);
    }

    [Fact]
    public async Task An_insecure_server_tells_a_tls_client_apart_from_garbage()
    {
        using var listener = TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server,
            TcpTestPeers.ServerOptions(insecure: true) with { HandshakeTimeout = TimeSpan.FromSeconds(5) });
        var accept = listener.AcceptAsync();

        await Assert.ThrowsAnyAsync<ProtocolException>(() =>
            TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Client, TcpTestPeers.ClientOptions()));
        var e = await Assert.ThrowsAsync<ProtocolException>(() => accept);
        Assert.Contains("it speaks TLS", e.Message);
    }

    [Fact]
    public async Task A_wrong_session_token_is_refused_and_both_ends_learn_why()
    {
        using var listener = TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server,
            TcpTestPeers.ServerOptions() with { SessionId = "s", SessionToken = DataPlaneListener.NewSessionToken() });
        var accept = listener.AcceptAsync();

        var e = await Assert.ThrowsAsync<ProtocolException>(() => TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Client,
            TcpTestPeers.ClientOptions() with { SessionId = "s", SessionToken = DataPlaneListener.NewSessionToken() }));
        Assert.Contains("refused the connection", e.Message);
        Assert.Contains("token for session 's' is wrong", e.Message);
        var refused = await Assert.ThrowsAsync<ProtocolException>(() => accept);
        Assert.Contains("token for session 's' is wrong", refused.Message);
    }
}
