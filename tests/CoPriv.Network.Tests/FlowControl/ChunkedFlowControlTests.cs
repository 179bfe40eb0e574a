using System.Collections.Concurrent;
using CoPriv.Network.FlowControl;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tests.FlowControl;

public class ChunkedFlowControlTests
{
    [Fact]
    public async Task A_sender_never_has_more_than_the_window_unacknowledged_and_messages_arrive_whole()
    {
        const int chunk = 64 * 1024;
        const long window = 4L * chunk;
        int[] sizes = [0, 1, chunk - 1, chunk, chunk + 1, 3 << 20, 200_000, 0, 5 * chunk];
        var sender = new ChunkedFlowControl("s", chunk, window);
        var wire = new BlockingCollection<(byte[] Chunk, bool End)>();
        long worstSeen = 0;

        var receiver = Task.Factory.StartNew(() =>
        {
            var reassembler = new ChunkReassembler("s", chunk);
            int index = 0;
            foreach (var (bytes, end) in wire.GetConsumingEnumerable())
            {
                // A slow receiver: it takes each chunk off the wire a little late, then acknowledges it.
                Thread.Sleep(1);
                bool complete = reassembler.Add(bytes, end, out var message);
                // Credit is for bytes: an empty message's chunk takes none and returns none.
                if (bytes.Length > 0) sender.Acknowledge(bytes.Length);
                if (!complete) continue;
                Assert.Equal(sizes[index], message.Length);
                Synthetic.Check(message.Span, index, "s");
                message.Release();
                index++;
            }
            return index;
        }, TaskCreationOptions.LongRunning);

        for (int i = 0; i < sizes.Length; i++)
        {
            var message = new byte[sizes[i]];
            Synthetic.Fill(message, i);
            sender.Send(message, (bytes, offset, length) =>
            {
                Interlocked.Exchange(ref worstSeen, Math.Max(Interlocked.Read(ref worstSeen), sender.Unacknowledged));
                wire.Add((bytes.ToArray(), offset + bytes.Length == length));
            });
        }
        wire.CompleteAdding();

        Assert.Equal(sizes.Length, await receiver);
        Assert.True(worstSeen <= window, $"{worstSeen} bytes outstanding with a window of {window}");
        Assert.Equal(window, sender.PeakUnacknowledged);
        Assert.Equal(0, sender.Unacknowledged);
    }

    [Fact]
    public void Messages_are_cut_into_chunks_of_the_agreed_size_with_the_end_marked()
    {
        var sender = new ChunkedFlowControl("s", 1000, 1_000_000);
        var chunks = new List<(int Offset, int Length, int MessageLength)>();
        sender.Send(new byte[2500], (bytes, offset, length) => chunks.Add((offset, bytes.Length, length)));
        sender.Send([], (bytes, offset, length) => chunks.Add((offset, bytes.Length, length)));
        Assert.Equal([(0, 1000, 2500), (1000, 1000, 2500), (2000, 500, 2500), (0, 0, 0)], chunks);
    }

    [Fact]
    public async Task A_failure_wakes_a_sender_waiting_for_credit()
    {
        var sender = new ChunkedFlowControl("s", 10, 10);
        sender.Send(new byte[10], (_, _, _) => { });
        var blocked = Task.Factory.StartNew(() => sender.Send(new byte[1], (_, _, _) => { }), TaskCreationOptions.LongRunning);
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted);
        sender.Fail("the peer is gone");
        var e = await Assert.ThrowsAsync<ChannelClosedException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal("stream 's': cannot send, the peer is gone", e.Message);
    }

    [Fact]
    public void Missing_acknowledgements_time_out_and_excess_ones_are_refused()
    {
        var sender = new ChunkedFlowControl("s", 10, 10, TimeSpan.FromMilliseconds(50), peerName: "server");
        sender.Send(new byte[10], (_, _, _) => { });
        Assert.Contains("no credit from the server within 0.05 s", Assert.Throws<ProtocolException>(() => sender.Send(new byte[1], (_, _, _) => { })).Message);
        Assert.Contains("only 10 outstanding", Assert.Throws<ProtocolException>(() => sender.Acknowledge(11)).Message);
        Assert.Throws<ProtocolException>(() => sender.Acknowledge(0));
        Assert.Throws<ArgumentException>(() => new ChunkedFlowControl("s", 100, 99));
    }

    [Fact]
    public void The_reassembler_refuses_chunks_and_messages_beyond_its_limits()
    {
        var r = new ChunkReassembler("s", maxChunkBytes: 100, maxMessageBytes: 250);
        Assert.Contains("limit of 100", Assert.Throws<ProtocolException>(() => r.Add(new byte[101], true, out _)).Message);
        Assert.False(r.Add(new byte[100], false, out _));
        Assert.False(r.Add(new byte[100], false, out _));
        Assert.Equal(200, r.BufferedBytes);
        Assert.Contains("limit of 250", Assert.Throws<ProtocolException>(() => r.Add(new byte[51], true, out _)).Message);
        Assert.True(r.Add(new byte[50], true, out var message));
        Assert.Equal(250, message.Length);
        message.Release();
    }
}
