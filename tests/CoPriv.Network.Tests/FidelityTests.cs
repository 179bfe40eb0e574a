using CoPriv.Network.Links;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using Xunit.Abstractions;

namespace CoPriv.Network.Tests;

/// <summary>
/// The simulator's latency against the emulator's, on workloads small enough to emulate: ping-pong rounds with a
/// little compute, bulk transfers both ways, and (WAN) two streams driven concurrently. The emulated figure can
/// only be late (scheduling noise on a loaded machine adds, never removes, time), so the best of a few attempts is
/// the one compared.
/// </summary>
public class FidelityTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.10;

    [Theory]
    [InlineData("lan", 20, 100, 8 << 20, 2 << 20)]
    [InlineData("wan", 5, 2000, 2 << 20, 512 << 10)]
    public void Simulated_latency_agrees_with_emulated_within_ten_percent(
        string preset, int rounds, int computeMicroseconds, int bulkToClient, int bulkToServer)
    {
        var compute = TimeSpan.FromTicks(computeMicroseconds * 10L);
        void Party(IChannel ch)
        {
            var ping = ch.Stream("ping");
            var buffer = new byte[64];
            for (int r = 0; r < rounds; r++)
            {
                if (ch.Role == PartyRole.Server)
                {
                    Synthetic.Compute(compute);
                    Synthetic.Fill(buffer, r);
                    ping.Send(buffer);
                    ping.Receive(buffer);
                }
                else
                {
                    ping.Receive(buffer);
                    Synthetic.Check(buffer, r, ping.Name);
                    ping.Send(buffer);
                }
            }
            Synthetic.Bulk(ch.Stream("down"), ch.Role == PartyRole.Server, bulkToClient, 65536);
            Synthetic.Bulk(ch.Stream("up"), ch.Role == PartyRole.Client, bulkToServer, 65536);
        }

        Compare(LinkPresets.Get(preset), Party);
    }

    [Fact]
    public void Concurrent_streams_are_simulated_as_the_emulator_runs_them()
    {
        void Party(IChannel ch)
        {
            Synthetic.Concurrently(
                () => Synthetic.PingPong(ch.Stream("ping"), ch.Role, 4, 64),
                () => Synthetic.Bulk(ch.Stream("bulk"), ch.Role == PartyRole.Server, 1 << 20, 65536));
            Synthetic.PingPong(ch.Stream("final"), ch.Role, 1, 64);
        }

        var (simulated, _) = Compare(LinkPresets.Wan, Party);
        Assert.True(simulated < LinkPresets.Wan.RoundTripTime * 6.5, "the two streams' round trips should overlap");
    }

    private (TimeSpan Simulated, TimeSpan Emulated) Compare(LinkModel link, Action<IChannel> party)
    {
        Func<IChannel, int> body = ch => { party(ch); return 0; };
        var simulated = NetworkRun.Simulate(link, body, body);
        var emulated = TimeSpan.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var run = NetworkRun.Emulate(link, body, body);
            if (run.Latency < emulated) emulated = run.Latency;
            if (Deviation(simulated.Latency, emulated) <= Tolerance) break;
        }
        double deviation = Deviation(simulated.Latency, emulated);
        output.WriteLine($"{link}: simulated {simulated.Latency.TotalMilliseconds:0.00} ms " +
            $"(compute {simulated.ServerTiming!.ComputeTime.TotalMilliseconds:0.00} + {simulated.ClientTiming!.ComputeTime.TotalMilliseconds:0.00} ms, " +
            $"wall {simulated.WallTime.TotalMilliseconds:0.0} ms), emulated {emulated.TotalMilliseconds:0.00} ms, deviation {deviation:P1}");
        Assert.True(deviation <= Tolerance,
            $"simulated {simulated.Latency.TotalMilliseconds:0.00} ms vs emulated {emulated.TotalMilliseconds:0.00} ms on {link}");
        return (simulated.Latency, emulated);
    }

    private static double Deviation(TimeSpan simulated, TimeSpan emulated) =>
        Math.Abs(simulated.TotalSeconds - emulated.TotalSeconds) / emulated.TotalSeconds;
}
