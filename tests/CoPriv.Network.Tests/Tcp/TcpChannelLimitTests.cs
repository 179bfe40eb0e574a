using CoPriv.Network.Tcp;
using CoPriv.Protocols.Core;
using static CoPriv.Network.Tcp.TcpWireFormat;

namespace CoPriv.Network.Tests.Tcp;

public class TcpChannelLimitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_message_above_the_limit_fails_the_receiver_naming_the_stream_and_the_limit()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync(adjust: o => o with { MaxMessageBytes = 100_000 });
        server.Stream("big").Send(new byte[100_000]);
        server.Stream("big").Send(new byte[100_001]);

        client.Stream("big").Receive(new byte[100_000]);
        var e = Assert.ThrowsAny<ProtocolException>(() => client.Stream("big").Receive(new byte[100_001]));
        Assert.IsNotType<ChannelClosedException>(e);
        Assert.Contains("stream 'big'", e.Message);
        Assert.Contains("limit of 100000 bytes", e.Message);
        server.Dispose();
        client.Dispose();
    }

    [Fact]
    public async Task A_receive_from_a_peer_that_stops_sending_fails_after_the_idle_timeout_naming_stream_and_timeout()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync(adjust: o => o with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        server.Stream("layer-7").Send(new byte[4]);
        client.Stream("layer-7").Receive(new byte[4]);

        var e = Assert.ThrowsAny<ProtocolException>(() => client.Stream("layer-7").Receive(new byte[4]));
        Assert.IsNotType<ChannelClosedException>(e);
        Assert.Contains("stream 'layer-7'", e.Message);
        Assert.Contains("within 0.3 s", e.Message);
        server.Dispose();
        client.Dispose();
    }

    [Fact]
    public async Task A_reader_slower_than_the_sender_gets_everything_through_a_small_unread_limit()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync(adjust: o => o with { MaxUnreadBytes = 1 << 20 });
        const int messages = 64, size = 256 * 1024;
        var sender = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < messages; i++) server.Stream("bulk").Send(Enumerable.Repeat((byte)i, size).ToArray());
        }, TaskCreationOptions.LongRunning);

        var message = new byte[size];
        for (int i = 0; i < messages; i++)
        {
            client.Stream("bulk").Receive(message);
            Assert.All(message, b => Assert.Equal((byte)i, b));
        }
        await sender.WaitAsync(Patience);
        server.Dispose();
        client.Dispose();
    }

    [Fact]
    public async Task A_peer_flooding_a_stream_this_party_never_reads_is_held_back_then_the_session_fails()
    {
        const int unreadLimit = 1 << 20, message = 256 * 1024;
        var (server, client) = await TcpTestPeers.ConnectedPairAsync(
            adjust: o => o with { MaxUnreadBytes = unreadLimit, SocketBufferBytes = 256 * 1024 },
            adjustClient: o => o with { IdleTimeout = TimeSpan.FromSeconds(1) });
        long sent = 0;
        var flood = Task.Factory.StartNew(() =>
        {
            var bytes = new byte[message];
            while (true)
            {
                server.Stream("flood").Send(bytes);
                Interlocked.Add(ref sent, bytes.Length);
            }
        }, TaskCreationOptions.LongRunning);

        var senderFailure = await Assert.ThrowsAnyAsync<ProtocolException>(() => flood.WaitAsync(Patience));
        // What got through is bounded by the limit plus what the kernels and the one batch in flight hold, not by
        // how long the peer keeps sending.
        Assert.True(Interlocked.Read(ref sent) < 64L << 20, $"{Interlocked.Read(ref sent)} bytes sent");
        var e = Assert.ThrowsAny<ProtocolException>(() => client.Stream("other").Receive(new byte[1]));
        Assert.IsNotType<ChannelClosedException>(e);
        Assert.Contains("unread for 1 s", e.Message);
        Assert.Contains("stream 'flood'", e.Message);
        Assert.Contains($"limit {unreadLimit} bytes", e.Message);
        Assert.Contains("unread", senderFailure.Message);
        server.Dispose();
        client.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_send_to_a_peer_that_takes_no_data_fails_after_the_idle_timeout(bool tls)
    {
        using var listener = TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server,
            TcpTestPeers.ServerOptions(insecure: !tls) with { IdleTimeout = TimeSpan.FromMilliseconds(500), SocketBufferBytes = 64 * 1024 });
        var accept = listener.AcceptAsync();
        using var silent = await RawPeer.ConnectAsync(listener.LocalEndPoint, tls);
        await silent.SendAsync(Hello(PartyRole.Client, "", []));
        using var server = await accept;

        var e = Assert.ThrowsAny<ProtocolException>(() =>
        {
            for (int i = 0; i < 1000; i++) server.Stream("out").Send(new byte[1 << 20]);
        });
        Assert.IsNotType<ChannelClosedException>(e);
        Assert.Contains("stream 'out'", e.Message);
        Assert.Contains("took no data for 0.5 s", e.Message);
        Assert.Throws<ChannelClosedException>(() => server.Stream("out").Send(new byte[1]));
    }
}
