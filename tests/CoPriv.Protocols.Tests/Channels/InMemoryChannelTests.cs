using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Tests.Channels;

public class InMemoryChannelTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public void Messages_arrive_in_order_per_stream_and_streams_are_independent()
    {
        var result = TwoPartyRunner.Run(
            server =>
            {
                var a = server.Stream("a");
                var b = server.Stream("b");
                for (ulong i = 0; i < 100; i++)
                {
                    a.SendUInt64s([i]);
                    b.SendUInt64s([1000 + i, i]);
                }
                return 0;
            },
            client =>
            {
                var received = new List<ulong>();
                var one = new ulong[1];
                var two = new ulong[2];
                // Drain b first: a's messages must wait in their own queue.
                for (int i = 0; i < 100; i++)
                {
                    client.Stream("b").ReceiveUInt64s(two);
                    Assert.Equal(1000UL + (ulong)i, two[0]);
                }
                for (int i = 0; i < 100; i++)
                {
                    client.Stream("a").ReceiveUInt64s(one);
                    received.Add(one[0]);
                }
                return received;
            }, Guard);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (ulong)i), result.Client);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    public void A_message_of_the_wrong_length_fails_with_the_stream_and_both_lengths(int sent)
    {
        var e = Assert.Throws<ProtocolException>(() => TwoPartyRunner.Run(
            server =>
            {
                server.Stream("ot/columns").Send(new byte[sent]);
                return 0;
            },
            client =>
            {
                client.Stream("ot/columns").Receive(new byte[16]);
                return 0;
            }, Guard));
        Assert.Contains("ot/columns", e.Message);
        Assert.Contains("16 bytes", e.Message);
        Assert.Contains($"received {sent}", e.Message);
    }

    [Fact]
    public void A_peer_that_fails_makes_the_other_side_fail_fast_instead_of_hanging()
    {
        // A released client fails with ChannelClosedException; a hung one would fail only at its receive timeout, with a
        // plain ProtocolException: the type tells the two apart without timing anything.
        Exception? clientError = null;
        var e = Assert.Throws<InvalidOperationException>(() => TwoPartyRunner.Run<int, int>(
            server => throw new InvalidOperationException("server exploded"),
            client =>
            {
                try
                {
                    client.Stream("x").Receive(new byte[8]);
                }
                catch (Exception error)
                {
                    clientError = error;
                    throw;
                }
                return 0;
            }, TimeSpan.FromMinutes(5)));
        Assert.Equal("server exploded", e.Message);
        var closed = Assert.IsType<ChannelClosedException>(clientError);
        Assert.Contains("server exploded", closed.Message);
    }

    [Fact]
    public void A_closed_peer_is_reported_as_ChannelClosedException()
    {
        var (server, client) = InMemoryChannel.CreatePair(Guard);
        server.Dispose();
        var e = Assert.Throws<ChannelClosedException>(() => client.Stream("late").Receive(new byte[1]));
        Assert.Contains("late", e.Message);
        Assert.Contains("closed", e.Message);
        Assert.Throws<ChannelClosedException>(() => server.Stream("late").Send(new byte[1]));
    }

    [Fact]
    public void A_silent_peer_trips_the_receive_timeout()
    {
        var (_, client) = InMemoryChannel.CreatePair(TimeSpan.FromMilliseconds(100));
        var e = Assert.Throws<ProtocolException>(() => client.Stream("quiet").Receive(new byte[4]));
        Assert.Contains("quiet", e.Message);
    }
}
