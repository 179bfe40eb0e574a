using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using Xunit.Abstractions;

namespace CoPriv.Network.Tests.Tcp;

[Collection(TimingSensitiveCollection.Name)]
public class TcpThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Loopback_carries_256_MiB_of_64_KiB_messages_whole()
    {
        var (server, client) = await TcpTestPeers.ConnectedPairAsync();
        const long total = 256L << 20;
        var run = TwoPartyRunner.Run(server, client,
            ch => { Stream(ch.Stream("bulk"), true); return 0; },
            ch => { Stream(ch.Stream("bulk"), false); return 0; });
        // The rate is for the log only: a speed threshold belongs to a benchmark, not to a test on a shared machine.
        output.WriteLine($"TCP loopback, 64 KiB messages: {total >> 20} MiB in {run.Elapsed.TotalMilliseconds:0} ms = " +
                         $"{total * 8 / run.Elapsed.TotalSeconds / 1e9:0.00} Gbit/s");
        Assert.Equal(total, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter).OnlineServerToClient);

        static void Stream(IMessageStream s, bool send)
        {
            var buffer = new byte[65536];
            for (long done = 0; done < total; done += buffer.Length)
                if (send) s.Send(buffer); else s.Receive(buffer);
            if (send) s.Receive(buffer.AsSpan(0, 1)); else s.Send(buffer.AsSpan(0, 1));
        }
    }
}
