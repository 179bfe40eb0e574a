using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text;
using CoPriv.Network.Tcp;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using static CoPriv.Network.Tcp.TcpWireFormat;

namespace CoPriv.Network.Tests.Tcp;

public class TcpChannelTests
{
    /// <summary>A bound against hanging, not a speed claim: generous, for a loaded machine.</summary>
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ping_pong_and_bulk_transfers_arrive_intact_and_are_metered(bool insecure)
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync(insecure);
        Assert.Equal(!insecure, server.IsEncrypted);
        Assert.Equal(!insecure, client.IsEncrypted);
        var run = TwoPartyRunner.Run(server, client,
            ch => { Synthetic.PingPong(ch.Stream("p"), PartyRole.Server, 50, 100); Synthetic.Bulk(ch.Stream("b"), true, 5_000_000, 65536); return 0; },
            ch => { Synthetic.PingPong(ch.Stream("p"), PartyRole.Client, 50, 100); Synthetic.Bulk(ch.Stream("b"), false, 5_000_000, 65536); return 0; });

        Assert.Equal(CommunicationCost.Online(50 * 100 + 5_000_000, 50 * 100 + 1, 50 + 50 + 1 + 1),
            CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)client.RemoteEndPoint).Address);
    }

    [Fact]
    public async Task Messages_longer_than_a_frame_and_empty_messages_keep_their_boundaries()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync();
        int[] sizes = [0, 1, MaxFramePayload - 1, MaxFramePayload, MaxFramePayload + 1, 3 * MaxFramePayload + 17, 0, 2_000_000];
        TwoPartyRunner.Run(server, client,
            ch => { Synthetic.Exchange(ch.Stream("x"), ch.Role, [sizes, [5], sizes]); return 0; },
            ch => { Synthetic.Exchange(ch.Stream("x"), ch.Role, [sizes, [5], sizes]); return 0; });
    }

    [Fact]
    public async Task Concurrent_streams_from_several_threads_do_not_mix()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync();
        void Party(IChannel ch) => Synthetic.Concurrently(Enumerable.Range(0, 4).Select(i => (Action)(() =>
        {
            Synthetic.PingPong(ch.Stream($"p{i}"), ch.Role, 30, 10 + i);
            Synthetic.Bulk(ch.Stream($"b{i}"), (i % 2 == 0) == (ch.Role == PartyRole.Server), 700_000 + i, 50_000 + i);
        })).ToArray());

        var run = TwoPartyRunner.Run(server, client, ch => { Party(ch); return 0; }, ch => { Party(ch); return 0; });
        Assert.Equal(4 * 30 * 2 + 8, run.ServerMeter.Total().Rounds + run.ClientMeter.Total().Rounds);
    }

    [Fact]
    public async Task A_peer_that_disappears_fails_every_pending_receive_at_once()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync();
        var receivers = Enumerable.Range(0, 3)
            .Select(i => Task.Factory.StartNew(() => client.Stream($"s{i}").Receive(new byte[8]), TaskCreationOptions.LongRunning))
            .ToArray();
        await Task.Delay(100);
        server.Abort();

        foreach (var receiver in receivers)
        {
            var e = await Assert.ThrowsAsync<ChannelClosedException>(() => receiver.WaitAsync(Fast));
            Assert.Contains("stream 's", e.Message);
        }
        Assert.Throws<ChannelClosedException>(() => client.Stream("s0").Send(new byte[1]));
        client.Dispose();
    }

    [Fact]
    public async Task Messages_sent_before_a_close_are_delivered_then_receives_fail_with_the_reason()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync();
        var s = server.Stream("x");
        for (int i = 0; i < 3; i++) s.Send(new byte[100_000]);
        server.Fail("the server ran out of patience");

        var c = client.Stream("x");
        for (int i = 0; i < 3; i++) c.Receive(new byte[100_000]);
        var e = Assert.Throws<ChannelClosedException>(() => c.Receive(new byte[1]));
        Assert.Contains("ran out of patience", e.Message);
        Assert.Throws<ChannelClosedException>(() => server.Stream("x").Send(new byte[1]));
        client.Dispose();
    }

    [Fact]
    public async Task A_receive_of_the_wrong_length_names_the_stream_and_both_lengths()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync();
        server.Stream("layer-3").Send(new byte[12]);
        var e = Assert.Throws<ProtocolException>(() => client.Stream("layer-3").Receive(new byte[16]));
        Assert.Contains("'layer-3'", e.Message);
        Assert.Contains("16", e.Message);
        Assert.Contains("12", e.Message);
        server.Dispose();
        client.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_truncated_frame_is_a_protocol_error_on_the_stream_that_waits(bool tls)
    {
        var (accept, raw) = await TcpTestPeers.RawClientAsync(tls: tls);
        using (raw)
        {
            var server = await accept;
            await raw.SendAsync(TcpTestPeers.Frame(FrameKind.OpenStream, 1, Encoding.UTF8.GetBytes("t")));
            await raw.SendAsync(TcpTestPeers.Frame(FrameKind.MessageEnd, 1, new byte[10], claimedLength: 100));
            await raw.ShutdownSendAsync();

            var e = Assert.ThrowsAny<ProtocolException>(() => server.Stream("t").Receive(new byte[100]));
            Assert.IsNotType<ChannelClosedException>(e);
            Assert.Contains("middle of a frame", e.Message);
            Assert.Contains("19 of 109 bytes", e.Message);
            server.Dispose();
        }
    }

    [Fact]
    public async Task An_over_long_frame_is_refused_without_waiting_for_its_payload()
    {
        var (accept, raw) = await TcpTestPeers.RawClientAsync();
        using (raw)
        {
            var server = await accept;
            var waiting = Task.Factory.StartNew(() => server.Stream("t").Receive(new byte[8]), TaskCreationOptions.LongRunning);
            await raw.SendAsync(TcpTestPeers.Frame(FrameKind.OpenStream, 1, Encoding.UTF8.GetBytes("t")));
            await raw.SendAsync(TcpTestPeers.Frame(FrameKind.MessageEnd, 1, [], claimedLength: 10 << 20));

            var e = await Assert.ThrowsAsync<ProtocolException>(() => waiting.WaitAsync(Fast));
            Assert.Contains("10485760 bytes", e.Message);
            Assert.Contains("limit of 65536", e.Message);
            server.Dispose();
        }
    }

    [Theory]
    [InlineData(99, 1, "unknown kind 0x63")]
    [InlineData((int)FrameKind.MessageEnd, 7, "stream id 7, which it never opened")]
    [InlineData((int)FrameKind.OpenStream, 2, "with id 2, expected id 1")]
    public async Task Frames_that_break_the_rules_fail_the_channel_with_a_clear_reason(int kind, uint stream, string expected)
    {
        var (accept, raw) = await TcpTestPeers.RawClientAsync();
        using (raw)
        {
            var server = await accept;
            await raw.SendAsync(TcpTestPeers.Frame((FrameKind)kind, stream, Encoding.UTF8.GetBytes("t")));
            var e = Assert.ThrowsAny<ProtocolException>(() => server.Stream("t").Receive(new byte[1]));
            Assert.Contains(expected, e.Message);
            Assert.ThrowsAny<ProtocolException>(() => server.Stream("u").Send(new byte[1]));
            server.Dispose();
        }
    }

    [Fact]
    public async Task A_peer_of_another_version_is_refused_naming_both_versions()
    {
        var hello = Hello(PartyRole.Client, "", []);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(4), TcpWireFormat.Version + 1);
        var (accept, raw) = await TcpTestPeers.RawClientAsync(hello);
        using (raw)
        {
            var e = await Assert.ThrowsAsync<ProtocolException>(() => accept);
            Assert.Contains($"version {TcpWireFormat.Version + 1}", e.Message);
            Assert.Contains($"version {TcpWireFormat.Version}", e.Message);
        }
    }

    [Fact]
    public async Task A_peer_that_does_not_speak_the_data_plane_is_refused()
    {
        var (accept, raw) = await TcpTestPeers.RawClientAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        using (raw)
        {
            var e = await Assert.ThrowsAsync<ProtocolException>(() => accept);
            Assert.Contains("does not speak the CoPriv data plane", e.Message);
        }
    }

    [Fact]
    public async Task Two_servers_cannot_form_a_session()
    {
        using var listener = TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server, TcpTestPeers.ServerOptions());
        var accept = listener.AcceptAsync();
        var e = await Assert.ThrowsAsync<ProtocolException>(() =>
            TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Server, TcpTestPeers.ClientOptions()));
        Assert.Contains("both ends", e.Message);
        await Assert.ThrowsAsync<ProtocolException>(() => accept);
    }

    [Fact]
    public async Task The_acceptor_learns_the_session_id_of_the_connection()
    {
        byte[] token = [1, 2, 3];
        using var listener = TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server,
            TcpTestPeers.ServerOptions() with { SessionId = "session-42", SessionToken = token });
        var accept = listener.AcceptAsync();
        using var client = await TcpChannel.ConnectAsync(listener.LocalEndPoint, PartyRole.Client,
            TcpTestPeers.ClientOptions() with { SessionId = "session-42", SessionToken = token });
        using var server = await accept;
        Assert.Equal("session-42", server.PeerSessionId);
        Assert.Equal("", client.PeerSessionId);
        Assert.NotEqual(0, listener.LocalEndPoint.Port);
    }

    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_fails_as_a_closed_channel()
    {
        int port;
        using (var probe = TcpChannelListener.Start(TcpTestPeers.AnyLoopbackPort, PartyRole.Server, TcpTestPeers.ServerOptions()))
            port = probe.LocalEndPoint.Port;
        var e = await Assert.ThrowsAsync<ChannelClosedException>(() =>
            TcpChannel.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), PartyRole.Client, TcpTestPeers.ClientOptions()));
        Assert.Contains("cannot connect", e.Message);
    }
}
