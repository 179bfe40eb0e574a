using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>Malformed or vanishing peers make both parties fail fast with a clear error, never hang.</summary>
public class OtBadPeerTests
{
    private const int N = 1000, Bits = 41;
    private static readonly string ServerStream = OtSession.StreamName(PartyRole.Server);

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public void A_request_of_the_wrong_length_fails_the_sender_naming_stream_and_length(int error)
    {
        var e = Assert.ThrowsAny<ProtocolException>(() => OtPair.Run(
            ctx => { ctx.Ot.Sender.SendCorrelated(new ulong[N], Bits, new ulong[N]); return 0; },
            ctx => { ctx.Channel.Stream(ServerStream).Send(new byte[16 * N + error]); return 0; }));
        Assert.Contains($"'{ServerStream}'", e.Message);
        Assert.Contains($"{16 * N} bytes", e.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public void A_reply_of_the_wrong_length_fails_the_receiver_naming_stream_and_length(int error)
    {
        int replyBytes = (N * Bits + 7) / 8;
        var e = Assert.ThrowsAny<ProtocolException>(() => OtPair.Run(
            ctx =>
            {
                var stream = ctx.Channel.Stream(ServerStream);
                stream.Receive(new byte[16 * N]);
                stream.Send(new byte[replyBytes + error]);
                return 0;
            },
            ctx => { ctx.Ot.Receiver.ReceiveCorrelated(new byte[N], Bits, new ulong[N]); return 0; }));
        Assert.Contains($"'{ServerStream}'", e.Message);
        Assert.Contains($"{replyBytes} bytes", e.Message);
    }

    [Fact]
    public void A_truncated_one_of_n_request_is_refused_too()
    {
        var e = Assert.ThrowsAny<ProtocolException>(() => OtPair.Run(
            ctx => { ctx.Ot.Sender.SendOneOfN(new ulong[16 * N], 16, 2); return 0; },
            ctx => { ctx.Channel.Stream(ServerStream).Send(new byte[16 * N]); return 0; }));
        Assert.Contains($"{32 * N} bytes", e.Message);
    }

    [Theory]
    [InlineData(0x02, 0xFF)] // x beyond the field prime
    [InlineData(0x07, 0x00)] // no such SEC1 encoding
    public void A_base_ot_point_that_is_not_a_valid_p256_point_is_refused(byte prefix, byte fill)
    {
        var point = new byte[33];
        Array.Fill(point, fill);
        point[0] = prefix;
        var e = Assert.ThrowsAny<ProtocolException>(() => TwoPartyRunner.Run(
            ch => PartyContext.Create(ch, CoPriv.Protocols.Crypto.AesPrg.FromTestSeed(5)),
            ch =>
            {
                // Stay on the line (the server's point, then its answers that never come) until the server fails.
                ch.Stream(ServerStream).Send(point);
                var peer = ch.Stream(OtSession.StreamName(PartyRole.Client));
                peer.Receive(new byte[33]);
                peer.Receive(new byte[33 * IknpCotBackend.BaseOts]);
                return 0;
            },
            OtPair.Timeout));
        Assert.Contains($"'{ServerStream}'", e.Message);
        Assert.Contains("P-256", e.Message);
    }

    [Theory]
    [InlineData(PartyRole.Server)]
    [InlineData(PartyRole.Client)]
    public void A_peer_that_closes_mid_protocol_makes_both_sides_fail_fast(PartyRole closing)
    {
        const int n = 100_000;
        var (s, c) = InMemoryChannel.CreatePair(OtPair.Timeout);
        // On the server-sends stream the setup has two sends at each end (server: base-OT answers and wire version;
        // client: its base-OT point and the rows of the KK key OTs). The server's channel closes after its first
        // reply chunk, the client's after its second request.
        const int setupSends = 2;
        IChannel server = closing == PartyRole.Server ? new ClosingChannel(s, ServerStream, setupSends + 1) : s;
        IChannel client = closing == PartyRole.Client ? new ClosingChannel(c, ServerStream, setupSends + 2) : c;
        Exception? serverError = null, clientError = null;
        Assert.ThrowsAny<ProtocolException>(() => OtPair.Run(server, client,
            ctx => Capture(ref serverError, () => ctx.Ot.Sender.SendCorrelated(new ulong[n], Bits, new ulong[n])),
            ctx => Capture(ref clientError, () => ctx.Ot.Receiver.ReceiveCorrelated(new byte[n], Bits, new ulong[n]))));
        Assert.IsAssignableFrom<ChannelClosedException>(serverError);
        Assert.IsAssignableFrom<ChannelClosedException>(clientError);
    }

    [Fact]
    public void A_party_that_throws_releases_the_waiting_peer_at_once()
    {
        Exception? clientError = null;
        var e = Assert.Throws<InvalidOperationException>(() => OtPair.Run<int, int>(
            ctx => throw new InvalidOperationException("server gave up"),
            ctx => Capture(ref clientError, () => ctx.Ot.Receiver.ReceiveChosen(new byte[N], Bits, new ulong[N]))));
        Assert.Equal("server gave up", e.Message);
        Assert.IsAssignableFrom<ChannelClosedException>(clientError);
    }

    private static int Capture(ref Exception? error, Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
    }
}
