using Akka.TestKit;
using CoPriv.Actors.Channel;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using CoPriv.Protocols.Core;
using Xunit.Abstractions;

namespace CoPriv.Actors.Tests;

/// <summary>The channel alone, with test probes standing in for the session actors, so every chunk and credit is seen.</summary>
public sealed class ActorChannelTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ActorsConfig.Local(), "channel", output)
{
    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_sender_never_has_more_than_the_window_unacknowledged_and_the_message_is_reassembled_intact()
    {
        const int chunk = 16 * 1024, window = 64 * 1024;
        var settings = new ActorChannelSettings(chunk, window);
        var peer = CreateTestProbe();
        var sender = new ActorChannel(PartyRole.Client, "s1", CreateTestProbe().Ref, peer.Ref, settings);
        var receiverOwner = CreateTestProbe();
        var receiver = new ActorChannel(PartyRole.Server, "s1", receiverOwner.Ref, CreateTestProbe().Ref, settings);
        var message = RandomBytes(1024 * 1024 + 5, 1);

        var send = Task.Run(() => sender.Stream("bulk").Send(message));

        // With no credit the sender stops at exactly one window.
        var outstanding = new Queue<PayloadChunk>();
        for (int i = 0; i < window / chunk; i++) outstanding.Enqueue(peer.ExpectMsg<PayloadChunk>(TimeSpan.FromSeconds(3)));
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.False(send.IsCompleted);

        int chunks = (message.Length + chunk - 1) / chunk, seen = outstanding.Count;
        long inFlight = outstanding.Sum(c => (long)c.Data.Length), peak = inFlight;
        while (outstanding.Count > 0)
        {
            var oldest = outstanding.Dequeue();
            receiver.Deliver(oldest);
            sender.Credit(new PayloadCredit(oldest.Stream, oldest.Data.Length));
            inFlight -= oldest.Data.Length;
            if (seen == chunks) continue;
            var next = peer.ExpectMsg<PayloadChunk>(TimeSpan.FromSeconds(3));
            seen++;
            outstanding.Enqueue(next);
            inFlight += next.Data.Length;
            peak = Math.Max(peak, inFlight);
            Assert.True(inFlight <= window, $"{inFlight} bytes in flight with a window of {window}");
        }
        await send.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(window, peak);
        Assert.Equal(window, sender.PeakInFlightBytes);
        Assert.Equal(chunks, sender.ChunksSent);
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        var received = new byte[message.Length];
        receiver.Stream("bulk").Receive(received);
        Assert.Equal(message, received);
        Assert.Equal(message.Length, receiver.Meter.Total().BytesReceived);
        Assert.Equal(message.Length, sender.Meter.Total().BytesSent);
    }

    [Fact]
    public void The_receiving_end_grants_credit_for_each_chunk_it_buffers()
    {
        var owner = CreateTestProbe();
        var peer = CreateTestProbe();
        var channel = new ActorChannel(PartyRole.Server, "s1", owner.Ref, peer.Ref);
        channel.Deliver(new PayloadChunk("a", 0, 10, 0, new byte[6]));
        channel.Deliver(new PayloadChunk("a", 1, 10, 6, new byte[4]));
        Assert.Equal(new PayloadCredit("a", 6), peer.ExpectMsg<PayloadCredit>());
        Assert.Equal(new PayloadCredit("a", 4), peer.ExpectMsg<PayloadCredit>());
        Assert.Equal(owner.Ref, peer.LastSender);
    }

    [Fact]
    public void A_chunk_out_of_sequence_is_a_protocol_error()
    {
        var channel = new ActorChannel(PartyRole.Server, "s1", CreateTestProbe().Ref, CreateTestProbe().Ref);
        channel.Deliver(new PayloadChunk("a", 0, 3, 0, new byte[3]));
        var error = Assert.Throws<ProtocolException>(() => channel.Deliver(new PayloadChunk("a", 2, 3, 0, new byte[3])));
        Assert.Contains("#2 arrived where #1 was due", error.Message);
    }

    [Fact]
    public void A_message_of_the_wrong_length_names_the_stream_and_both_lengths()
    {
        var channel = new ActorChannel(PartyRole.Server, "s1", CreateTestProbe().Ref, CreateTestProbe().Ref);
        channel.Deliver(new PayloadChunk("relu", 0, 5, 0, new byte[5]));
        channel.Deliver(new PayloadChunk("relu", 1, 2, 0, new byte[2]));
        var error = Assert.Throws<ProtocolException>(() => channel.Stream("relu").Receive(new byte[4]));
        Assert.Contains("'relu'", error.Message);
        Assert.Contains("4 bytes", error.Message);
        Assert.Contains("5 bytes", error.Message);
        // The wrong message was consumed whole; the next one is intact.
        channel.Stream("relu").Receive(new byte[2]);
    }

    [Fact]
    public async Task Failing_an_end_unblocks_its_waiting_receiver_and_tells_the_peer_session()
    {
        var peer = CreateTestProbe();
        var channel = new ActorChannel(PartyRole.Client, "s9", CreateTestProbe().Ref, peer.Ref);
        var receive = Task.Run(() => channel.Stream("x").Receive(new byte[8]));
        Thread.Sleep(100);
        channel.Fail("client gave up");

        var error = await Assert.ThrowsAsync<ChannelClosedException>(() => receive.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Contains("client gave up", error.Message);
        Assert.Equal(new SessionAborted("s9", PartyRole.Client, null, "client gave up"), peer.ExpectMsg<SessionAborted>());
        Assert.Throws<ChannelClosedException>(() => channel.Stream("y").Send([1]));
    }

    [Fact]
    public void Closing_by_the_peer_still_delivers_what_arrived_before_and_sends_nothing_back()
    {
        var peer = CreateTestProbe();
        var channel = new ActorChannel(PartyRole.Server, "s1", CreateTestProbe().Ref, peer.Ref);
        channel.Deliver(new PayloadChunk("x", 0, 3, 0, new byte[] { 1, 2, 3 }));
        peer.ExpectMsg<PayloadCredit>();
        channel.CloseByPeer("the client aborted");

        var message = new byte[3];
        channel.Stream("x").Receive(message);
        Assert.Equal(new byte[] { 1, 2, 3 }, message);
        var error = Assert.Throws<ChannelClosedException>(() => channel.Stream("x").Receive(new byte[3]));
        Assert.Contains("the client closed the channel (the client aborted)", error.Message);
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_wait_timeout_turns_a_silent_peer_into_a_protocol_error()
    {
        var channel = new ActorChannel(PartyRole.Client, "s1", CreateTestProbe().Ref, CreateTestProbe().Ref,
            new ActorChannelSettings(waitTimeout: TimeSpan.FromMilliseconds(200)));
        var error = Assert.Throws<ProtocolException>(() => channel.Stream("quiet").Receive(new byte[1]));
        Assert.Contains("stream 'quiet': no message from the server within 0.2 s", error.Message);
    }

    [Fact]
    public void A_window_smaller_than_a_chunk_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ActorChannelSettings(chunkSize: 65536, window: 1000));
    }
}
