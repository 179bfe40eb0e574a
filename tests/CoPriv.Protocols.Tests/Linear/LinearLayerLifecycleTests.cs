using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

public class LinearLayerLifecycleTests
{
    private static readonly FixedPoint Fp = new(41, 11);
    private static readonly ConvShape Shape = new(2, 3, 5, 5, padding: 1);

    [Fact]
    public void All_OT_traffic_is_preprocessing_and_online_is_one_flight_of_l_bits_per_input()
    {
        var options = new LinearLayerOptions(Fp);
        var x = LinearTestData.RingValues(Fp, Shape.InputLength, 1.0, 101);
        var (xs, xc) = LinearHarness.Share(Fp.Ring, x, 102);
        var server = ConvolutionProtocol.ForServer(Shape, LinearTestData.Signed(Shape.WeightLength, 100, 103), [], options);
        var run = LinearHarness.Run(server, ConvolutionProtocol.ForClient(Shape, options), xs, xc, 104);
        var measured = CommunicationCost.Measured(run.ServerMeter, run.ClientMeter);
        Assert.Equal(CommunicationCost.Online(0, (Shape.InputLength * 41 + 7) / 8, 1),
            measured with { PreprocessingServerToClient = 0, PreprocessingClientToServer = 0, Rounds = 1, ServerSentCots = 0, ClientSentCots = 0 });
        Assert.True(measured.PreprocessingBytes > 100 * measured.OnlineBytes);
        Assert.Equal(server.Cost, measured);
    }

    [Fact]
    public void Online_before_preprocessing_and_a_second_online_call_are_refused()
    {
        var options = new LinearLayerOptions(Fp);
        var client = ConvolutionProtocol.ForClient(Shape, options);
        var e = Assert.Throws<InvalidOperationException>(() => TwoPartyRunner.Run(
            ch => PartyContext.Create(ch, AesPrg.FromTestSeed(0)).Role,
            ch => client.Online(PartyContext.Create(ch, AesPrg.FromTestSeed(1)), new ulong[Shape.InputLength])));
        Assert.Contains("Preprocess before Online", e.Message);

        var x = new ulong[Shape.InputLength];
        var server = ConvolutionProtocol.ForServer(Shape, new long[Shape.WeightLength], [], options);
        var again = Assert.Throws<InvalidOperationException>(() => TwoPartyRunner.Run(
            ch =>
            {
                var ctx = PartyContext.Create(ch, AesPrg.FromTestSeed(2));
                server.Run(ctx, x);
                return server.Online(ctx, x);
            },
            ch =>
            {
                var ctx = PartyContext.Create(ch, AesPrg.FromTestSeed(3));
                var c = ConvolutionProtocol.ForClient(Shape, options);
                c.Run(ctx, x);
                return c.Online(ctx, x);
            }));
        Assert.Contains("mask was already used", again.Message);
    }

    [Fact]
    public void Layers_refuse_the_wrong_party_and_wrong_sizes_with_clear_messages()
    {
        var options = new LinearLayerOptions(Fp);
        var weights = Assert.Throws<ArgumentException>(() => ConvolutionProtocol.ForServer(Shape, new long[10], [], options));
        Assert.Contains("expects K·(C/G)·kh·kw = 54 (KCRS)", weights.Message);
        var bias = Assert.Throws<ArgumentException>(() => ConvolutionProtocol.ForServer(Shape, new long[54], new long[2], options));
        Assert.Contains("K = 3 output channels", bias.Message);

        var client = ConvolutionProtocol.ForClient(Shape, options);
        var role = Assert.Throws<ArgumentException>(() => TwoPartyRunner.Run(
            ch => { client.Preprocess(PartyContext.Create(ch, AesPrg.FromTestSeed(4))); return 0; },
            ch => { PartyContext.Create(ch, AesPrg.FromTestSeed(5)); return 0; }));
        Assert.Contains("built for the client, not the server", role.Message);
    }
}
