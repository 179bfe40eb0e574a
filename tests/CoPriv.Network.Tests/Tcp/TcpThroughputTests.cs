using CoPriv.Protocols.Channels;
using Xunit.Abstractions;

namespace CoPriv.Network.Tests.Tcp;

[Collection(TimingSensitiveCollection.Name)]
public class TcpThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Loopback_carries_64_KiB_messages_at_gigabits_per_second()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync();
        const long total = 256L << 20;
        var run = TwoPartyRunner.Run(server, client,
            ch => { Stream(ch.Stream("bulk"), true); return 0; },
            ch => { Stream(ch.Stream("bulk"), false); return 0; });
        double gbits = total * 8 / run.Elapsed.TotalSeconds / 1e9;
        output.WriteLine($"TCP loopback, 64 KiB messages: {total >> 20} MiB in {run.Elapsed.TotalMilliseconds:0} ms = {gbits:0.00} Gbit/s");
        Assert.True(gbits > 0.5, $"{gbits:0.00} Gbit/s");

        static void Stream(IMessageStream s, bool send)
        {
            var buffer = new byte[65536];
            for (long done = 0; done < total; done += buffer.Length)
                if (send) s.Send(buffer); else s.Receive(buffer);
            if (send) s.Receive(buffer.AsSpan(0, 1)); else s.Send(buffer.AsSpan(0, 1));
        }
    }
}
