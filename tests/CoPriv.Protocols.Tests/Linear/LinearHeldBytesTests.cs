using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// What a pre-processed layer holds between its two phases (the memory a session pre-processed ahead keeps per layer):
/// nothing before <c>Preprocess</c>; afterwards the client's mask (one element per input) and each party's share of
/// the products on it; nothing once <c>Online</c> has used them.
/// </summary>
public class LinearHeldBytesTests
{
    private static readonly FixedPoint Fp = new(41, 11);
    private static readonly ConvShape Shape = new(3, 4, 8, 8, padding: 1);
    private static readonly ConvShape Stride2 = new(3, 4, 8, 8, padding: 1, stride: 2);

    private static readonly Dictionary<string, Func<LinearLayerOptions, (LinearLayerProtocol Server, LinearLayerProtocol Client)>> Layers = new()
    {
        ["convolution"] = o => (ConvolutionProtocol.ForServer(Shape, LinearTestData.Signed(Shape.WeightLength, 64, 1), [], o),
            ConvolutionProtocol.ForClient(Shape, o)),
        ["fully connected"] = o => (FullyConnectedProtocol.ForServer(40, 7, LinearTestData.Signed(280, 64, 2), [], o),
            FullyConnectedProtocol.ForClient(40, 7, o)),
        ["batchnorm"] = o => (BatchNormProtocol.ForServer(3, 20, LinearTestData.Signed(3, 64, 3), LinearTestData.Signed(3, 64, 4), o),
            BatchNormProtocol.ForClient(3, 20, o)),
        ["winograd F(2,3)"] = o => (WinogradConvolutionProtocol.ForServer(Shape, WinogradTile.F2x2, LinearTestData.Signed(Shape.WeightLength, 64, 5), [], o),
            WinogradConvolutionProtocol.ForClient(Shape, WinogradTile.F2x2, o)),
        ["polyphase"] = o => (PolyphaseConvolutionProtocol.ForServer(Stride2, LinearTestData.Signed(Stride2.WeightLength, 64, 6), [], o),
            PolyphaseConvolutionProtocol.ForClient(Stride2, o)),
    };

    public static TheoryData<string> LayerNames => [.. Layers.Keys];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_layer_holds_the_clients_mask_and_both_product_shares_between_its_phases_and_nothing_after(string layer)
    {
        var (server, client) = Layers[layer](new LinearLayerOptions(Fp));
        Assert.Equal((0L, 0L), (server.HeldBytes, client.HeldBytes));
        var input = new ulong[server.InputLength];

        var held = TwoPartyRunner.Run(
            ch => Phases(server, PartyContext.Create(ch, AesPrg.FromTestSeed(7, 10)), input),
            ch => Phases(client, PartyContext.Create(ch, AesPrg.FromTestSeed(7, 11)), input),
            TimeSpan.FromSeconds(60));

        // The client holds its mask and its share of the output; the server its share of the output, or, for the
        // transform-domain convolutions, of the products in the transform domain (more elements than the output).
        Assert.Equal(sizeof(ulong) * ((long)client.InputLength + client.OutputLength), held.Client.Between);
        if (server is TransformDomainConvolutionProtocol)
            Assert.True(held.Server.Between > sizeof(ulong) * (long)server.OutputLength, $"{layer}: {held.Server.Between} bytes");
        else
            Assert.Equal(sizeof(ulong) * (long)server.OutputLength, held.Server.Between);
        Assert.Equal((0L, 0L), (held.Server.After, held.Client.After));
    }

    private static (long Between, long After) Phases(LinearLayerProtocol layer, PartyContext ctx, ulong[] input)
    {
        layer.Preprocess(ctx);
        long between = layer.HeldBytes;
        layer.Online(ctx, input);
        return (between, layer.HeldBytes);
    }
}
