using CoPriv.Network.Tcp;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tests.Tcp;

public class DataPlaneListenerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Connections_of_several_sessions_reach_the_session_they_name()
    {
        using var listener = DataPlaneListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server, TcpTestPeers.ServerOptions());
        var tokens = Enumerable.Range(0, 3).Select(_ => DataPlaneListener.NewSessionToken()).ToArray();
        var expected = Enumerable.Range(0, 3).Select(i => listener.Expect($"session-{i}", tokens[i])).ToArray();

        var clients = new List<TcpChannel>();
        foreach (int i in new[] { 2, 0, 1 })
            clients.Add(await ConnectAsync(listener, $"session-{i}", tokens[i]));
        for (int i = 0; i < 3; i++)
        {
            using var server = await expected[i].WaitAsync(Patience);
            Assert.Equal($"session-{i}", server.PeerSessionId);
            server.Stream("id").Send([(byte)i]);
        }
        foreach (var (client, i) in clients.Zip(new[] { 2, 0, 1 }))
        {
            var id = new byte[1];
            client.Stream("id").Receive(id);
            Assert.Equal(i, id[0]);
            client.Dispose();
        }
        Assert.Equal(TcpTestPeers.Certificate.Fingerprint, listener.Fingerprint);
    }

    [Fact]
    public async Task A_stranger_is_refused_and_the_session_keeps_waiting_for_its_peer()
    {
        var refusals = new RefusalLog();
        using var listener = DataPlaneListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server, TcpTestPeers.ServerOptions(),
            refusals.Add);
        var token = DataPlaneListener.NewSessionToken();
        var expected = listener.Expect("s1", token);

        var wrongToken = await Assert.ThrowsAsync<ProtocolException>(() => ConnectAsync(listener, "s1", DataPlaneListener.NewSessionToken()));
        Assert.Contains("token for session 's1' is wrong", wrongToken.Message);
        var unknown = await Assert.ThrowsAsync<ProtocolException>(() => ConnectAsync(listener, "s2", token));
        Assert.Contains("no session 's2' expects", unknown.Message);
        Assert.False(expected.IsCompleted);

        using var client = await ConnectAsync(listener, "s1", token);
        using var server = await expected.WaitAsync(Patience);
        var again = await Assert.ThrowsAsync<ProtocolException>(() => ConnectAsync(listener, "s1", token));
        Assert.Contains("connected already", again.Message);
        Assert.True(refusals.WaitFor("token for session 's1' is wrong", Patience));
    }

    [Fact]
    public async Task A_connection_that_never_says_hello_holds_up_no_one_and_is_dropped_after_the_handshake_timeout()
    {
        var refusals = new RefusalLog();
        using var listener = DataPlaneListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server,
            TcpTestPeers.ServerOptions() with { HandshakeTimeout = TimeSpan.FromSeconds(1) }, refusals.Add);
        using var silent = await RawPeer.ConnectAsync(listener.LocalEndPoint, tls: true);

        var token = DataPlaneListener.NewSessionToken();
        var expected = listener.Expect("s", token);
        using var client = await ConnectAsync(listener, "s", token);
        using var server = await expected.WaitAsync(Patience);

        Assert.Equal(0, await silent.Stream.ReadAsync(new byte[1]).AsTask().WaitAsync(Patience));
        Assert.True(refusals.WaitFor("did not complete within 1 s", Patience));
    }

    [Fact]
    public async Task A_session_whose_peer_never_connects_fails_after_the_expect_timeout()
    {
        using var listener = DataPlaneListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server,
            TcpTestPeers.ServerOptions() with { ExpectTimeout = TimeSpan.FromMilliseconds(200) });
        var token = DataPlaneListener.NewSessionToken();
        var e = await Assert.ThrowsAsync<ProtocolException>(() => listener.Expect("late", token).WaitAsync(Patience));
        Assert.Contains("session 'late'", e.Message);
        Assert.Contains("within 0.2 s", e.Message);

        var refused = await Assert.ThrowsAsync<ProtocolException>(() => ConnectAsync(listener, "late", token));
        Assert.Contains("no session 'late' expects", refused.Message);
    }

    [Fact]
    public async Task Stopping_the_listener_fails_the_sessions_still_waiting()
    {
        var listener = DataPlaneListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server, TcpTestPeers.ServerOptions());
        var expected = listener.Expect("s", DataPlaneListener.NewSessionToken());
        Assert.Throws<InvalidOperationException>(() => { _ = listener.Expect("s", DataPlaneListener.NewSessionToken()); });
        listener.Dispose();
        var e = await Assert.ThrowsAsync<ChannelClosedException>(() => expected.WaitAsync(Patience));
        Assert.Contains("listener stopped", e.Message);
    }

    /// <summary>What the listener reported refusing; it reports after the peer has been told, so tests wait for it.</summary>
    private sealed class RefusalLog
    {
        private readonly List<string> _reasons = [];

        public void Add(string reason)
        {
            lock (_reasons)
            {
                _reasons.Add(reason);
                Monitor.PulseAll(_reasons);
            }
        }

        public bool WaitFor(string fragment, TimeSpan patience)
        {
            var deadline = DateTime.UtcNow + patience;
            lock (_reasons)
            {
                while (!_reasons.Any(r => r.Contains(fragment, StringComparison.Ordinal)))
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) return false;
                    Monitor.Wait(_reasons, left);
                }
                return true;
            }
        }
    }

    private static Task<TcpChannel> ConnectAsync(DataPlaneListener listener, string session, byte[] token) =>
        TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Client,
            TcpTestPeers.ClientOptions() with { SessionId = session, SessionToken = token });
}
