using CoPriv.Network.Benchmarks;

namespace CoPriv.Network.Tests.Benchmarks;

public class TransportBenchmarkTests
{
    [Theory]
    [InlineData(TransportBenchmark.Tcp)]
    [InlineData(TransportBenchmark.TcpTls)]
    public async Task Both_ends_move_every_whole_message_and_report_the_bytes(string transport)
    {
        var result = await TransportBenchmark.RunInProcessAsync(transport, messageBytes: 1 << 20, totalBytes: (8L << 20) + 5);
        Assert.Equal(transport, result.Transport);
        Assert.Equal(8L << 20, result.Bytes);
        Assert.Equal(1 << 20, result.MessageBytes);
        Assert.True(result.BytesPerSecond > 0);
    }

    [Fact]
    public async Task The_invitation_survives_a_command_line_and_the_sender_in_its_own_task_reaches_the_receiver()
    {
        using var receiver = TransportBenchmark.StartReceiver(TransportBenchmark.TcpTls, messageBytes: 65536, totalBytes: 1 << 20);
        var arguments = receiver.Invitation.ToArguments();
        var parsed = TransportBenchmarkInvitation.Parse(arguments);

        Assert.Equal(receiver.Invitation.Endpoint, parsed.Endpoint);
        Assert.Equal(receiver.Invitation.Fingerprint, parsed.Fingerprint);
        Assert.Equal(receiver.Invitation.Token, parsed.Token);
        var sent = await TransportBenchmark.RunSenderAsync(parsed);
        var received = await receiver.Completion;
        Assert.Equal(sent.Bytes, received.Bytes);
    }

    [Fact]
    public void Unknown_transports_and_arguments_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => TransportBenchmark.StartReceiver("udp"));
        Assert.Contains("tcp, tcp-tls", e.Message);
        var f = Assert.Throws<FormatException>(() => TransportBenchmarkInvitation.Parse(
            ["--peer", "127.0.0.1:1", "--transport", "tcp", "--token", "00", "--message-bytes", "1", "--total-bytes", "1", "--speed", "max"]));
        Assert.Contains("--speed", f.Message);
    }
}
