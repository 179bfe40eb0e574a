using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Tests.Channels;

public class TrafficMeterTests
{
    [Fact]
    public void Bytes_are_booked_per_scope_phase_and_direction_and_rounds_count_flights()
    {
        var result = TwoPartyRunner.Run(
            server =>
            {
                var s = server.Stream("s");
                using (server.Meter.Enter("layer-01-conv", "conv"))
                using (server.Meter.InPhase(Phase.Preprocessing))
                {
                    s.Send(new byte[100]);
                    s.Send(new byte[50]); // same flight
                    s.Receive(new byte[10]);
                }
                using (server.Meter.Enter("layer-02-relu", "relu"))
                {
                    s.Send(new byte[7]);
                }
                return 0;
            },
            client =>
            {
                var s = client.Stream("s");
                using (client.Meter.Enter("layer-01-conv", "conv"))
                using (client.Meter.InPhase(Phase.Preprocessing))
                {
                    s.Receive(new byte[100]);
                    s.Receive(new byte[50]);
                    s.Send(new byte[10]);
                }
                using (client.Meter.Enter("layer-02-relu", "relu"))
                {
                    s.Receive(new byte[7]);
                }
                return 0;
            }, TimeSpan.FromSeconds(10));

        var conv = result.ServerMeter.Snapshot().Single(r => r.Layer == "layer-01-conv");
        Assert.Equal((Phase.Preprocessing, 150L, 10L, 2L, 1L),
            (conv.Phase, conv.BytesSent, conv.BytesReceived, conv.MessagesSent, conv.Rounds));
        var relu = result.ServerMeter.Snapshot().Single(r => r.Layer == "layer-02-relu");
        Assert.Equal((Phase.Online, 7L, 0L, 1L), (relu.Phase, relu.BytesSent, relu.BytesReceived, relu.Rounds));

        var cost = CommunicationCost.Measured(result.ServerMeter, result.ClientMeter);
        Assert.Equal(new CommunicationCost(150, 10, 7, 0, 3), cost);
    }

    [Fact]
    public async Task Scope_flows_into_work_started_inside_it()
    {
        var (server, client) = InMemoryChannel.CreatePair(TimeSpan.FromSeconds(10));
        using (server.Meter.Enter("layer-03", "relu"))
        {
            await Task.Run(() => server.Stream("t").Send(new byte[3]));
        }
        client.Stream("t").Receive(new byte[3]);
        Assert.Equal("layer-03", server.Meter.Snapshot().Single().Layer);
        Assert.Equal(3, server.Meter.Total().BytesSent);
    }
}
