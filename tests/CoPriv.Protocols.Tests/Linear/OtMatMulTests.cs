using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Linear;

public class OtMatMulTests
{
    [Theory]
    [InlineData(7, 5, 9, 41, OtOrientation.ClientReceives)]
    [InlineData(7, 5, 9, 41, OtOrientation.ServerReceives)]
    [InlineData(16, 27, 33, 32, OtOrientation.ClientReceives)]
    [InlineData(3, 40, 2, 64, OtOrientation.ServerReceives)]
    [InlineData(1, 1, 200, 17, OtOrientation.ClientReceives)]
    public void Shares_add_up_to_A_times_B_and_the_traffic_equals_the_cost_function(int d1, int d2, int d3, int ell, OtOrientation orientation)
    {
        var ring = new Ring(ell);
        var shape = new MatMulShape(d1, d2, d3);
        var a = LinearTestData.Uniform(ring, d1 * d2, 61);
        var b = LinearTestData.Uniform(ring, d2 * d3, 62);
        var (b0, b1) = LinearHarness.Share(ring, b, 63);

        var run = TwoPartyRunner.Run(
            ch =>
            {
                var c0 = new ulong[d1 * d3];
                using (ch.Meter.InPhase(Phase.Preprocessing))
                    OtMatMul.RunServer(PartyContext.Create(ch, AesPrg.FromTestSeed(64, 0)), ring, shape, orientation, a, b0, c0);
                return c0;
            },
            ch =>
            {
                var c1 = new ulong[d1 * d3];
                using (ch.Meter.InPhase(Phase.Preprocessing))
                    OtMatMul.RunClient(PartyContext.Create(ch, AesPrg.FromTestSeed(64, 1)), ring, shape, orientation, b1, c1);
                return c1;
            });

        var expected = new ulong[d1 * d3];
        RingMatrix.Multiply(ring, a, b, d1, d2, d3, expected);
        var sum = new ulong[d1 * d3];
        ring.Add(run.Server, run.Client, sum);
        Assert.Equal(expected, sum);
        Assert.Equal(OtMatMul.RunCost(OtBackend.Iknp.Costs, shape, ell, orientation, Phase.Preprocessing), CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }

    [Fact]
    public void Server_side_refuses_the_clients_context()
    {
        var ring = new Ring(16);
        var e = Assert.Throws<ArgumentException>(() => TwoPartyRunner.Run(
            ch => { OtMatMul.RunClient(PartyContext.Create(ch, AesPrg.FromTestSeed(1)), ring, new MatMulShape(1, 1, 1), OtOrientation.ClientReceives, new ulong[1], new ulong[1]); return 0; },
            ch => { PartyContext.Create(ch, AesPrg.FromTestSeed(2)); return 0; }));
        Assert.Contains("client's side, called with the server's context", e.Message);
    }

    [Fact]
    public void A_matrix_of_the_wrong_size_is_refused_before_any_traffic()
    {
        var e = Assert.Throws<ArgumentException>(() => OtMatMul.CrossTermServer(null!, null!, new Ring(41),
            new MatMulShape(4, 5, 6), OtOrientation.ClientReceives, 41, new ulong[19], new ulong[24]));
        Assert.Contains("the server's matrix A has 19 elements, expected 20", e.Message);
    }

    [Theory]
    [InlineData(16, 256, OtOrientation.ServerReceives)]  // ResNet-32 stage 1, F(2,3): T = 256 > K = 16
    [InlineData(32, 64, OtOrientation.ServerReceives)]   // stage 2: T = 64 > K = 32
    [InlineData(64, 16, OtOrientation.ClientReceives)]   // stage 3: T = 16 < K = 64
    public void Cheaper_orientation_puts_the_receiver_on_the_side_with_fewer_entries(int channels, int tiles, OtOrientation expected)
    {
        var shape = new MatMulShape(channels, channels, tiles);
        Assert.Equal(expected, OtMatMul.Choose(OtBackend.Iknp.Costs, shape, 41, OrientationPolicy.Cheaper));
        Assert.Equal(OtOrientation.ClientReceives, OtMatMul.Choose(OtBackend.Iknp.Costs, shape, 41, OrientationPolicy.ClientReceives));
    }
}
