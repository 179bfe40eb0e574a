using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// Parties that disagree on a linear layer's algorithm, shape, ring or orientation both stop at the parameter
/// handshake with a <see cref="ProtocolException"/> naming the parameter and both values, before any OT.
/// </summary>
public class LinearParameterMismatchTests
{
    private static readonly FixedPoint Fp = new(41, 11);
    private static readonly ConvShape Shape = new(4, 6, 8, 8, padding: 1);

    /// <summary>
    /// Runs each party on its own thread over an in-memory pair whose receives time out, without failing the peer's
    /// channel on an error (as <see cref="TwoPartyRunner"/> would): each party must find the mismatch on its own.
    /// Both must finish well within the bound; their exceptions are returned (server, client).
    /// </summary>
    private static (ProtocolException Server, ProtocolException Client) RunMismatched(Action<PartyContext> server, Action<PartyContext> client)
    {
        var (s, c) = InMemoryChannel.CreatePair(TimeSpan.FromSeconds(30));
        var serverTask = Task.Factory.StartNew(() => server(PartyContext.Create(s, AesPrg.FromTestSeed(5, 10))),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var clientTask = Task.Factory.StartNew(() => client(PartyContext.Create(c, AesPrg.FromTestSeed(5, 11))),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var bothDone = Task.WhenAll(serverTask, clientTask).ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.True(bothDone.Wait(TimeSpan.FromSeconds(60)), "a party hung on the mismatch");
        return (Failure(serverTask), Failure(clientTask));
    }

    private static ProtocolException Failure(Task party)
    {
        Assert.True(party.IsFaulted, "the party ran on despite the mismatch");
        return Assert.IsType<ProtocolException>(party.Exception!.InnerException);
    }

    private static (ProtocolException Server, ProtocolException Client) RunLayers(LinearLayerProtocol server, LinearLayerProtocol client) =>
        RunMismatched(server.Preprocess, client.Preprocess);

    private static ConvolutionProtocol Im2colServer(ConvShape shape, LinearLayerOptions options) =>
        ConvolutionProtocol.ForServer(shape, new long[shape.WeightLength], [], options);

    [Fact]
    public void Convolutions_of_different_shapes_stop_both_parties_naming_the_dimension()
    {
        var options = new LinearLayerOptions(Fp);
        var (server, client) = RunLayers(Im2colServer(Shape, options),
            ConvolutionProtocol.ForClient(new ConvShape(4, 6, 8, 10, padding: 1), options));
        Assert.Equal("the im2col convolution: shape mismatch, the server uses input width W = 8 but the client uses input width W = 10",
            server.Message);
        Assert.Equal("the im2col convolution: shape mismatch, the client uses input width W = 10 but the server uses input width W = 8",
            client.Message);
    }

    [Fact]
    public void Convolutions_on_different_rings_stop_both_parties_naming_both_widths()
    {
        var (server, client) = RunLayers(Im2colServer(Shape, new LinearLayerOptions(Fp)),
            ConvolutionProtocol.ForClient(Shape, new LinearLayerOptions(new FixedPoint(40, 11))));
        Assert.Equal("the im2col convolution: ring mismatch, the server uses ℓ = 41 bits but the client uses ℓ = 40", server.Message);
        Assert.Equal("the im2col convolution: ring mismatch, the client uses ℓ = 40 bits but the server uses ℓ = 41", client.Message);
    }

    [Fact]
    public void Convolutions_at_different_scales_stop_both_parties_naming_both_scales()
    {
        var (server, _) = RunLayers(Im2colServer(Shape, new LinearLayerOptions(Fp)),
            ConvolutionProtocol.ForClient(Shape, new LinearLayerOptions(new FixedPoint(41, 12))));
        Assert.Equal("the im2col convolution: scale mismatch, the server uses s = 11 fractional bits but the client uses s = 12",
            server.Message);
    }

    [Fact]
    public void Convolutions_with_different_orientations_stop_both_parties_naming_both_receivers()
    {
        var (server, client) = RunLayers(Im2colServer(Shape, new LinearLayerOptions(Fp, OrientationPolicy.ClientReceives)),
            ConvolutionProtocol.ForClient(Shape, new LinearLayerOptions(Fp, OrientationPolicy.ServerReceives)));
        Assert.Equal("the im2col convolution: orientation mismatch, the server runs its OT products with the client as OT receiver " +
                     "but the client with the server as OT receiver; both parties must use the same orientation policy", server.Message);
        Assert.Contains("the client runs its OT products with the server as OT receiver but the server with the client as OT receiver",
            client.Message);
    }

    [Fact]
    public void Im2col_against_Winograd_stops_both_parties_naming_both_algorithms()
    {
        var options = new LinearLayerOptions(Fp);
        var (server, client) = RunLayers(Im2colServer(Shape, options),
            WinogradConvolutionProtocol.ForClient(Shape, WinogradTile.F2x2, options));
        Assert.Equal("the im2col convolution: algorithm mismatch, the server runs the im2col convolution but the client runs " +
                     "the Winograd F(2×2,3×3) convolution; both parties must run the same linear protocol", server.Message);
        Assert.Contains("the client runs the Winograd F(2×2,3×3) convolution but the server runs the im2col convolution", client.Message);
    }

    [Fact]
    public void Winograd_F4_with_different_extra_scale_bits_stops_both_parties()
    {
        var options = new LinearLayerOptions(Fp);
        var (server, client) = RunLayers(
            WinogradConvolutionProtocol.ForServer(Shape, WinogradTile.F4x4, new long[Shape.WeightLength], [], options, 10),
            WinogradConvolutionProtocol.ForClient(Shape, WinogradTile.F4x4, options, 12));
        Assert.Contains("extra scale mismatch, the server uses e = 10 bits but the client uses e = 12", server.Message);
        Assert.Contains("extra scale mismatch, the client uses e = 12 bits but the server uses e = 10", client.Message);
    }

    private static (ProtocolException Server, ProtocolException Client) RunMatMuls(MatMulShape serverShape, int serverBits,
        OtOrientation serverOrientation, MatMulShape clientShape, int clientBits, OtOrientation clientOrientation) =>
        RunMismatched(
            ctx => OtMatMul.RunServer(ctx, new Ring(serverBits), serverShape, serverOrientation,
                new ulong[serverShape.D1 * serverShape.D2], new ulong[serverShape.D2 * serverShape.D3], new ulong[serverShape.D1 * serverShape.D3]),
            ctx => OtMatMul.RunClient(ctx, new Ring(clientBits), clientShape, clientOrientation,
                new ulong[clientShape.D2 * clientShape.D3], new ulong[clientShape.D1 * clientShape.D3]));

    [Fact]
    public void Matrix_products_of_different_shapes_stop_both_parties_naming_the_dimension()
    {
        var (server, client) = RunMatMuls(new MatMulShape(3, 5, 7), 41, OtOrientation.ClientReceives,
            new MatMulShape(3, 6, 7), 41, OtOrientation.ClientReceives);
        Assert.Equal("the OT matrix product: shape mismatch, the server uses D2 = 5 but the client uses D2 = 6", server.Message);
        Assert.Equal("the OT matrix product: shape mismatch, the client uses D2 = 6 but the server uses D2 = 5", client.Message);
    }

    [Fact]
    public void Matrix_products_on_different_rings_stop_both_parties_naming_both_widths()
    {
        var (server, client) = RunMatMuls(new MatMulShape(3, 5, 7), 41, OtOrientation.ClientReceives,
            new MatMulShape(3, 5, 7), 64, OtOrientation.ClientReceives);
        Assert.Equal("the OT matrix product: ring mismatch, the server uses ℓ = 41 bits but the client uses ℓ = 64", server.Message);
        Assert.Equal("the OT matrix product: ring mismatch, the client uses ℓ = 64 bits but the server uses ℓ = 41", client.Message);
    }

    [Fact]
    public void Matrix_products_with_different_orientations_stop_both_parties_naming_both_receivers()
    {
        var (server, client) = RunMatMuls(new MatMulShape(3, 5, 7), 41, OtOrientation.ServerReceives,
            new MatMulShape(3, 5, 7), 41, OtOrientation.ClientReceives);
        Assert.Contains("orientation mismatch, the server runs its OT products with the server as OT receiver but the client with the client as OT receiver",
            server.Message);
        Assert.Contains("orientation mismatch, the client runs its OT products with the client as OT receiver but the server with the server as OT receiver",
            client.Message);
    }

    [Fact]
    public void A_matrix_product_against_a_fully_connected_layer_stops_both_parties_naming_both_algorithms()
    {
        var (server, client) = RunMismatched(
            ctx => OtMatMul.RunServer(ctx, Fp.Ring, new MatMulShape(4, 5, 1), OtOrientation.ClientReceives,
                new ulong[20], new ulong[5], new ulong[4]),
            ctx => FullyConnectedProtocol.ForClient(5, 4, new LinearLayerOptions(Fp)).Preprocess(ctx));
        Assert.Equal("the OT matrix product: algorithm mismatch, the server runs the OT matrix product but the client runs " +
                     "the fully connected layer; both parties must run the same linear protocol", server.Message);
        Assert.Contains("the client runs the fully connected layer but the server runs the OT matrix product", client.Message);
    }

    [Fact]
    public void Batchnorms_over_different_channel_counts_stop_both_parties()
    {
        var options = new LinearLayerOptions(Fp);
        var (server, client) = RunMismatched(
            ctx => BatchNormProtocol.ForServer(4, 16, new long[4], new long[4], options).Preprocess(ctx),
            ctx => BatchNormProtocol.ForClient(8, 16, options).Preprocess(ctx));
        Assert.Contains("shape mismatch, the server uses channels = 4 but the client uses channels = 8", server.Message);
        Assert.Contains("shape mismatch, the client uses channels = 8 but the server uses channels = 4", client.Message);
    }

    [Theory]
    [InlineData(OrientationPolicy.ServerReceives)]
    [InlineData(OrientationPolicy.ClientReceives)]
    public void Layers_with_different_weight_bit_widths_stop_both_parties_naming_both(OrientationPolicy orientation)
    {
        var options = new LinearLayerOptions(Fp, orientation);
        var (server, client) = RunLayers(Im2colServer(Shape, options with { WeightBits = 17 }),
            ConvolutionProtocol.ForClient(Shape, options with { WeightBits = 20 }));
        Assert.Equal("the im2col convolution: weight bit-width mismatch, the server uses B = 17 bits per weight but the client uses B = 20; " +
            "both parties must run with the same --weight-bits", server.Message);
        Assert.Equal("the im2col convolution: weight bit-width mismatch, the client uses B = 20 bits per weight but the server uses B = 17; " +
            "both parties must run with the same --weight-bits", client.Message);
    }

    [Fact]
    public void Bare_products_with_different_weight_bit_widths_stop_both_parties()
    {
        var ring = new Ring(41);
        var shape = new MatMulShape(2, 3, 4);
        var (server, client) = RunMismatched(
            ctx => OtMatMul.RunServer(ctx, ring, shape, OtOrientation.ServerReceives, new ulong[6], new ulong[12], new ulong[8], 12),
            ctx => OtMatMul.RunClient(ctx, ring, shape, OtOrientation.ServerReceives, new ulong[12], new ulong[8], 13));
        Assert.Contains("weight bit-width mismatch, the server uses B = 12 bits per weight but the client uses B = 13", server.Message);
        Assert.Contains("weight bit-width mismatch, the client uses B = 13 bits per weight but the server uses B = 12", client.Message);
    }
}
