using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The parameter handshake itself, party against party with no layer around it: every dimension and every algorithm is
/// named in the mismatch it reports, parameters that do not fit their byte are refused rather than wrapped (a wrapped
/// value could agree with a different one), and a layer's protocol id tells Winograd F(4×4) from F(2×2) even where their
/// other parameters agree. The layer-level mismatch tests exercise one name of each kind, so mutation testing found
/// the others unpinned.
/// </summary>
public class LinearHandshakeMessageTests
{
    private static readonly ConvShape Base = new(4, 6, 8, 8, padding: 1);

    /// <summary>Both parties exchange on their own threads; returns the server's failure (the client's mirrors it).</summary>
    private static ProtocolException ServerFailure(LinearLayerParameters server, LinearLayerParameters client)
    {
        var (s, c) = InMemoryChannel.CreatePair(TimeSpan.FromSeconds(10));
        var serverTask = Task.Run(() => LinearParameterHandshake.Exchange(s, PartyRole.Server, server));
        var clientTask = Task.Run(() => LinearParameterHandshake.Exchange(c, PartyRole.Client, client));
        Assert.True(Task.WhenAll(serverTask, clientTask).ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(20)),
            "a party hung on the mismatch");
        Assert.True(clientTask.IsFaulted, "the client ran on despite the mismatch");
        Assert.True(serverTask.IsFaulted, "the server ran on despite the mismatch");
        return Assert.IsType<ProtocolException>(serverTask.Exception!.InnerException);
    }

    /// <summary>Both layers pre-process on their own threads; returns the server's failure at the handshake.</summary>
    private static ProtocolException ServerFailure(LinearLayerProtocol server, LinearLayerProtocol client)
    {
        var (s, c) = InMemoryChannel.CreatePair(TimeSpan.FromSeconds(10));
        var serverTask = Task.Run(() => server.Preprocess(PartyContext.Create(s, AesPrg.FromTestSeed(6, 10))));
        var clientTask = Task.Run(() => client.Preprocess(PartyContext.Create(c, AesPrg.FromTestSeed(6, 11))));
        Assert.True(Task.WhenAll(serverTask, clientTask).ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(30)),
            "a party hung on the mismatch");
        Assert.True(clientTask.IsFaulted, "the client ran on despite the mismatch");
        Assert.True(serverTask.IsFaulted, "the server ran on despite the mismatch");
        return Assert.IsType<ProtocolException>(serverTask.Exception!.InnerException);
    }

    private static LinearLayerParameters Conv(ConvShape shape) =>
        LinearLayerParameters.Convolution(LinearProtocolId.Im2colConvolution, shape, new LinearLayerOptions(new FixedPoint(41, 11)),
            OtOrientation.ClientReceives);

    [Theory]
    [InlineData("input channels C", 4, 2)]
    [InlineData("output channels K", 6, 2)]
    [InlineData("input height H", 8, 10)]
    [InlineData("input width W", 8, 10)]
    [InlineData("kernel height", 3, 1)]
    [InlineData("kernel width", 3, 1)]
    [InlineData("stride", 1, 2)]
    [InlineData("padding", 1, 0)]
    [InlineData("groups", 1, 2)]
    public void Every_convolution_dimension_is_named_in_its_mismatch(string name, int serverValue, int clientValue)
    {
        var client = name switch
        {
            "input channels C" => new ConvShape(2, 6, 8, 8, padding: 1),
            "output channels K" => new ConvShape(4, 2, 8, 8, padding: 1),
            "input height H" => new ConvShape(4, 6, 10, 8, padding: 1),
            "input width W" => new ConvShape(4, 6, 8, 10, padding: 1),
            "kernel height" => new ConvShape(4, 6, 8, 8, kernelH: 1, kernelW: 3, padding: 1),
            "kernel width" => new ConvShape(4, 6, 8, 8, kernelH: 3, kernelW: 1, padding: 1),
            "stride" => new ConvShape(4, 6, 8, 8, stride: 2, padding: 1),
            "padding" => new ConvShape(4, 6, 8, 8),
            _ => new ConvShape(4, 6, 8, 8, padding: 1, groups: 2),
        };
        var e = ServerFailure(Conv(Base), Conv(client));
        Assert.Equal($"the im2col convolution: shape mismatch, the server uses {name} = {serverValue} but the client uses {name} = {clientValue}",
            e.Message);
    }

    [Theory]
    [InlineData("D1")]
    [InlineData("D2")]
    [InlineData("D3")]
    public void Every_matrix_product_dimension_is_named_in_its_mismatch(string name)
    {
        var client = new MatMulShape(name == "D1" ? 9 : 2, name == "D2" ? 9 : 3, name == "D3" ? 9 : 4);
        var e = ServerFailure(
            LinearLayerParameters.MatMul(LinearProtocolId.MatMul, new MatMulShape(2, 3, 4), 41, 0, OtOrientation.ClientReceives, 41),
            LinearLayerParameters.MatMul(LinearProtocolId.MatMul, client, 41, 0, OtOrientation.ClientReceives, 41));
        Assert.Contains($"shape mismatch, the server uses {name} = ", e.Message);
        Assert.EndsWith($"but the client uses {name} = 9", e.Message);
    }

    [Theory]
    [InlineData(1, "the im2col convolution")]
    [InlineData(2, "the Winograd F(2×2,3×3) convolution")]
    [InlineData(3, "the Winograd F(4×4,3×3) convolution")]
    [InlineData(4, "the polyphase stride-2 convolution")]
    [InlineData(5, "the fully connected layer")]
    [InlineData(6, "the element-wise BatchNorm")]
    [InlineData(99, "an unknown linear protocol #99")]
    public void Every_algorithm_is_named_in_its_mismatch(byte id, string name)
    {
        var shape = new MatMulShape(2, 3, 4);
        var e = ServerFailure(
            LinearLayerParameters.MatMul((LinearProtocolId)id, shape, 41, 11, OtOrientation.ClientReceives, 41),
            LinearLayerParameters.MatMul(LinearProtocolId.MatMul, shape, 41, 11, OtOrientation.ClientReceives, 41));
        Assert.Equal($"{name}: algorithm mismatch, the server runs {name} but the client runs the OT matrix product; " +
                     "both parties must run the same linear protocol", e.Message);
    }

    [Fact]
    public void An_orientation_outside_the_enum_is_named_by_its_number()
    {
        var shape = new MatMulShape(2, 3, 4);
        var e = ServerFailure(
            LinearLayerParameters.MatMul(LinearProtocolId.MatMul, shape, 41, 0, (OtOrientation)9, 41),
            LinearLayerParameters.MatMul(LinearProtocolId.MatMul, shape, 41, 0, OtOrientation.ClientReceives, 41));
        Assert.Contains("the server runs its OT products with an unknown orientation #9 but the client with the client as OT receiver", e.Message);
    }

    /// <summary>A byte-wide parameter of 256 or more would wrap on the wire and could then agree with a smaller one.</summary>
    [Theory]
    [InlineData("ring bits")]
    [InlineData("scale")]
    [InlineData("extra scale bits")]
    [InlineData("weight bits")]
    public void A_parameter_that_does_not_fit_its_byte_is_refused_not_wrapped(string field)
    {
        var parameters = new LinearLayerParameters(LinearProtocolId.MatMul,
            field == "ring bits" ? 256 + 41 : 41, field == "scale" ? 256 + 11 : 11, field == "extra scale bits" ? 256 + 2 : 2,
            OtOrientation.ClientReceives, field == "weight bits" ? 256 + 8 : 8, [("D1", 1)]);
        var (s, _) = InMemoryChannel.CreatePair(TimeSpan.FromSeconds(5));
        Assert.Throws<OverflowException>(() => LinearParameterHandshake.Exchange(s, PartyRole.Server, parameters));
    }

    [Fact]
    public void More_dimensions_than_the_message_holds_are_refused_before_sending()
    {
        var parameters = new LinearLayerParameters(LinearProtocolId.MatMul, 41, 11, 0, OtOrientation.ClientReceives, 41,
            [.. Enumerable.Range(0, 10).Select(i => ($"d{i}", i))]);
        var (s, _) = InMemoryChannel.CreatePair(TimeSpan.FromSeconds(5));
        var e = Assert.Throws<ArgumentException>(() => LinearParameterHandshake.Exchange(s, PartyRole.Server, parameters));
        Assert.Contains("at most 9 dimensions, got 10", e.Message);
    }

    /// <summary>
    /// F(4×4) with e = 2 has the ring, scale, extra scale bits, shape and orientation of F(2×2): only the protocol id
    /// tells them apart, and running one against the other would give wrong shares.
    /// </summary>
    [Fact]
    public void Winograd_F4_with_e_2_against_F2_stops_at_the_algorithm()
    {
        var shape = new ConvShape(4, 6, 8, 8, padding: 1);
        var options = new LinearLayerOptions(new FixedPoint(41, 11));
        var server = WinogradConvolutionProtocol.ForServer(shape, WinogradTile.F4x4, new long[shape.WeightLength], [], options, 2);
        var client = WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F2x2, options);
        var e = ServerFailure(server, client);
        Assert.Contains("the server runs the Winograd F(4×4,3×3) convolution but the client runs the Winograd F(2×2,3×3) convolution", e.Message);
    }

    [Theory]
    [InlineData("inputs", 5, 4, 6, 4)]
    [InlineData("outputs", 5, 4, 5, 3)]
    public void Fully_connected_dimensions_are_named_in_their_mismatch(string name, int serverInputs, int serverOutputs, int clientInputs, int clientOutputs)
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11));
        var server = FullyConnectedProtocol.ForServer(serverInputs, serverOutputs, new long[serverInputs * serverOutputs], [], options);
        var client = FullyConnectedProtocol.ForClient(clientInputs, clientOutputs, options);
        var e = ServerFailure(server, client);
        Assert.Contains($"shape mismatch, the server uses {name} = ", e.Message);
    }

    [Fact]
    public void BatchNorm_values_per_channel_are_named_in_their_mismatch()
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11));
        var server = BatchNormProtocol.ForServer(4, 16, new long[4], new long[4], options);
        var client = BatchNormProtocol.ForClient(4, 9, options);
        var e = ServerFailure(server, client);
        Assert.Contains("shape mismatch, the server uses values per channel = 16 but the client uses values per channel = 9", e.Message);
    }
}
