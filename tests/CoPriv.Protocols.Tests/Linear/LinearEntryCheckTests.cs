using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The checks at the entry of every linear step, one wrong argument at a time, each with the message of its own check
/// (a later check that happens to fire too would name the wrong thing, or fire only after the handshake has gone out),
/// and the small local steps on shares value by value. Mutation testing found each of these unpinned: the other tests
/// pass well-formed arguments.
/// </summary>
public class LinearEntryCheckTests
{
    private static readonly Ring Ring = new(41);
    private static readonly MatMulShape Shape = new(4, 5, 6);

    /// <summary>The server's (or, with "client", the client's) side alone; its peer only sets up its session.</summary>
    private static ArgumentException Refusal(bool serverSide, Action<PartyContext> call) =>
        Assert.Throws<ArgumentException>(() => TwoPartyRunner.Run(
            ch => { var ctx = PartyContext.Create(ch, AesPrg.FromTestSeed(7, 0)); if (serverSide) call(ctx); return 0; },
            ch => { var ctx = PartyContext.Create(ch, AesPrg.FromTestSeed(7, 1)); if (!serverSide) call(ctx); return 0; },
            TimeSpan.FromSeconds(10)));

    [Theory]
    [InlineData("server a", "the server's matrix A has 21 elements, expected 20")]
    [InlineData("server b0", "the server's share B0 has 31 elements, expected 30")]
    [InlineData("server c0", "the share of C has 25 elements, expected 24")]
    [InlineData("server role", "this is the server's side, called with the client's context")]
    [InlineData("server weight", "the OT matrix product: the entries of A need 8 bits of two's complement, more than the weight bit-width B = 4")]
    [InlineData("client b1", "the client's share B1 has 31 elements, expected 30")]
    [InlineData("client c1", "the share of C has 25 elements, expected 24")]
    public void A_bare_product_refuses_a_wrong_argument_naming_it_before_the_handshake(string wrong, string expected)
    {
        // "server role" calls the server's side with the client's context, so it runs on the client's thread.
        bool onServerThread = wrong.StartsWith("server") && wrong != "server role";
        var a = new ulong[20 + (wrong == "server a" ? 1 : 0)];
        if (wrong == "server weight") a[3] = 100;
        var e = Refusal(onServerThread, ctx =>
        {
            if (wrong.StartsWith("server"))
                OtMatMul.RunServer(ctx, Ring, Shape, OtOrientation.ServerReceives, a, new ulong[30 + (wrong == "server b0" ? 1 : 0)],
                    new ulong[24 + (wrong == "server c0" ? 1 : 0)], wrong == "server weight" ? 4 : null);
            else
                OtMatMul.RunClient(ctx, Ring, Shape, OtOrientation.ServerReceives, new ulong[30 + (wrong == "client b1" ? 1 : 0)],
                    new ulong[24 + (wrong == "client c1" ? 1 : 0)]);
        });
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("server share", OtOrientation.ClientReceives)]
    [InlineData("server share", OtOrientation.ServerReceives)]
    [InlineData("client b1", OtOrientation.ClientReceives)]
    [InlineData("client share", OtOrientation.ClientReceives)]
    [InlineData("client share", OtOrientation.ServerReceives)]
    public void The_cross_terms_refuse_a_wrong_size_before_any_OT(string wrong, OtOrientation orientation)
    {
        var e = Assert.Throws<ArgumentException>(() =>
        {
            if (wrong == "server share")
                OtMatMul.CrossTermServer(null!, null!, Ring, Shape, orientation, 41, new ulong[20], new ulong[25]);
            else
                OtMatMul.CrossTermClient(null!, null!, Ring, Shape, orientation, 41, new ulong[wrong == "client b1" ? 31 : 30],
                    new ulong[wrong == "client share" ? 25 : 24]);
        });
        Assert.Contains(wrong == "client b1" ? "the client's share B1 has 31 elements, expected 30" : "the share of C has 25 elements, expected 24",
            e.Message);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(65, null)]
    [InlineData(41, 0)]
    [InlineData(41, 42)]
    public void The_product_cost_refuses_a_ring_or_weight_width_out_of_range(int ell, int? weightBits)
    {
        Assert.Throws<ArgumentException>(() =>
            OtMatMul.Cost(OtBackend.Iknp.Costs, Shape, ell, OtOrientation.ServerReceives, Phase.Preprocessing, weightBits));
    }

    [Fact]
    public void The_product_cost_accepts_the_smallest_ring_of_2_bits()
    {
        Assert.True(OtMatMul.Cost(OtBackend.Iknp.Costs, Shape, 2, OtOrientation.ClientReceives).TotalBytes > 0);
    }

    /// <summary>With D1 = D3 and B = ℓ both orientations cost the same; the tie keeps CrypTFlow2's client receiver.</summary>
    [Fact]
    public void Cheaper_orientation_keeps_the_client_receiver_on_a_tie()
    {
        var square = new MatMulShape(8, 5, 8);
        Assert.Equal(OtMatMul.Cost(OtBackend.Iknp.Costs, square, 41, OtOrientation.ServerReceives).TotalBytes,
            OtMatMul.Cost(OtBackend.Iknp.Costs, square, 41, OtOrientation.ClientReceives).TotalBytes);
        Assert.Equal(OtOrientation.ClientReceives, OtMatMul.Choose(OtBackend.Iknp.Costs, square, 41, OrientationPolicy.Cheaper));
    }

    [Theory]
    [InlineData("multiply left", "the left matrix has 7 elements, expected 6")]
    [InlineData("multiply right", "the right matrix has 13 elements, expected 12")]
    [InlineData("multiply product", "the product has 9 elements, expected 8")]
    [InlineData("transpose source", "the matrix has 7 elements, expected 6")]
    [InlineData("transpose destination", "the transpose has 7 elements, expected 6")]
    public void Ring_matrices_refuse_spans_of_the_wrong_size(string wrong, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() =>
        {
            switch (wrong)
            {
                case "multiply left": RingMatrix.Multiply(Ring, new ulong[7], new ulong[12], 2, 3, 4, new ulong[8]); break;
                case "multiply right": RingMatrix.Multiply(Ring, new ulong[6], new ulong[13], 2, 3, 4, new ulong[8]); break;
                case "multiply product": RingMatrix.Multiply(Ring, new ulong[6], new ulong[12], 2, 3, 4, new ulong[9]); break;
                case "transpose source": RingMatrix.Transpose(new ulong[7], 2, 3, new ulong[6]); break;
                default: RingMatrix.Transpose(new ulong[6], 2, 3, new ulong[7]); break;
            }
        });
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("im2col input", "the input has 15 elements")]
    [InlineData("im2col group", "group 2 is outside 0..1")]
    [InlineData("im2col negative group", "group -1 is outside 0..1")]
    [InlineData("im2col patches", "the patch matrix has 9 elements, expected")]
    public void Im2col_refuses_a_wrong_input_group_or_destination(string wrong, string expected)
    {
        var shape = new ConvShape(2, 2, 4, 4, groups: 2);   // 1 channel per group, 9 taps, 2×2 outputs
        var e = Assert.Throws<ArgumentException>(() => Im2col.PatchesByPixel(shape,
            new ulong[wrong == "im2col input" ? 15 : 32],
            wrong switch { "im2col group" => 2, "im2col negative group" => -1, _ => 0 },
            new ulong[wrong == "im2col patches" ? 9 : 36]));
        Assert.Contains(expected, e.Message);
    }

    /// <summary>
    /// A server operand wider than the layer's B is refused when the layer is built, naming what it is; the client's
    /// layer has no operand and is not checked.
    /// </summary>
    [Theory]
    [InlineData("convolution", "the weights need 8 bits")]
    [InlineData("fully connected", "the weights need 8 bits")]
    [InlineData("batchnorm", "the BatchNorm multipliers need 8 bits")]
    public void A_server_operand_wider_than_B_is_refused_naming_it(string layer, string expected)
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11), OrientationPolicy.ServerReceives, Name: "wide") { WeightBits = 4 };
        var shape = new ConvShape(1, 2, 4, 4);
        var wide = new long[18];
        wide[5] = 100;
        var e = Assert.Throws<ArgumentException>(() => _ = layer switch
        {
            "convolution" => (LinearLayerProtocol)ConvolutionProtocol.ForServer(shape, wide, [], options),
            "fully connected" => FullyConnectedProtocol.ForServer(9, 2, wide, [], options),
            _ => BatchNormProtocol.ForServer(18, 4, wide, new long[18], options),
        });
        Assert.Contains($"wide: {expected}", e.Message);
        _ = layer switch
        {
            "convolution" => (LinearLayerProtocol)ConvolutionProtocol.ForClient(shape, options),
            "fully connected" => FullyConnectedProtocol.ForClient(9, 2, options),
            _ => BatchNormProtocol.ForClient(18, 4, options),
        };
    }

    [Theory]
    [InlineData("fc weights", "a 3→2 layer has 6 weights (Out×In), got 5")]
    [InlineData("fc bias", "the bias has 3 values, the layer has 2 outputs")]
    [InlineData("batchnorm server size", "BatchNorm needs at least one channel and one value per channel, got 0 × 4")]
    [InlineData("batchnorm cost size", "BatchNorm needs at least one channel and one value per channel, got 2 × 0")]
    [InlineData("winograd weights first", "expects K·(C/G)·kh·kw = 18 (KCRS)")]
    [InlineData("polyphase weights first", "expects K·(C/G)·kh·kw = 18 (KCRS)")]
    [InlineData("polyphase shape first", "the polyphase convolution needs a 3×3 kernel")]
    [InlineData("winograd cost shape", "Winograd F(m×m,3×3) needs a 3×3 kernel")]
    public void Layers_refuse_their_first_wrong_argument_with_its_own_message(string wrong, string expected)
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11));
        var e = Assert.Throws<ArgumentException>(() =>
        {
            switch (wrong)
            {
                case "fc weights": FullyConnectedProtocol.ForServer(3, 2, new long[5], [], options); break;
                case "fc bias": FullyConnectedProtocol.ForServer(3, 2, new long[6], new long[3], options); break;
                case "batchnorm server size": BatchNormProtocol.ForServer(0, 4, [], [], options); break;
                case "batchnorm cost size": BatchNormProtocol.CostOf(2, 0, options); break;
                // Wrong weights and a wrong bias: the weights are checked first.
                case "winograd weights first":
                    WinogradConvolutionProtocol.ForServer(new ConvShape(1, 2, 4, 4), WinogradTile.F2x2, new long[17], new long[3], options); break;
                case "polyphase weights first":
                    PolyphaseConvolutionProtocol.ForServer(new ConvShape(1, 2, 4, 4, stride: 2), new long[17], new long[3], options); break;
                // An unsupported shape and a wrong bias: the shape is checked first.
                case "polyphase shape first":
                    PolyphaseConvolutionProtocol.ForServer(new ConvShape(1, 2, 4, 4, kernelH: 1, kernelW: 1, stride: 2), new long[2], new long[3], options); break;
                default: WinogradConvolutionProtocol.CostOf(new ConvShape(1, 2, 4, 4, kernelH: 1, kernelW: 1), WinogradTile.F2x2, options); break;
            }
        });
        Assert.Contains(expected, e.Message);
    }

    /// <summary>The ring needs 2s + e + 2 bits for Winograd; exactly that is enough.</summary>
    [Fact]
    public void Winograd_accepts_a_ring_of_exactly_2s_plus_e_plus_2_bits()
    {
        var layer = WinogradConvolutionProtocol.ForClient(new ConvShape(1, 1, 4, 4), WinogradTile.F2x2,
            new LinearLayerOptions(new FixedPoint(2 * 4 + 2 + 2, 4)));
        Assert.Equal(4 + 2, layer.PendingShift);
    }

    [Fact]
    public void A_layer_refuses_an_online_call_from_the_other_party_before_anything_else()
    {
        var client = ConvolutionProtocol.ForClient(new ConvShape(1, 1, 3, 3), new LinearLayerOptions(new FixedPoint(41, 11)));
        var e = Assert.Throws<ArgumentException>(() => client.Online(new LinearPorts(PartyRole.Server, null!, null!, null!, null!), new ulong[9]));
        Assert.Contains("built for the client, not the server", e.Message);
    }

    [Fact]
    public void A_layer_refuses_a_session_on_another_OT_backend()
    {
        var options = new LinearLayerOptions(new FixedPoint(41, 11)) { OtBackend = OtBackend.FerretTest };
        var client = ConvolutionProtocol.ForClient(new ConvShape(1, 1, 3, 3), options);
        var e = Refusal(false, client.Preprocess);
        Assert.Contains("set up for OT backend 'ferret-test', the session runs 'iknp'", e.Message);
    }

    [Fact]
    public void Grouped_convolution_counts_the_multiply_accumulates_of_every_group()
    {
        var shape = new ConvShape(4, 6, 5, 5, groups: 2);   // K·(C/G)·9·OutH·OutW = 6·2·9·9
        Assert.Equal(6L * 2 * 9 * 9, shape.MultiplyAccumulates);
    }

    [Fact]
    public void The_bits_a_set_of_signed_weights_needs_is_the_most_any_one_needs()
    {
        Assert.Equal(4, WeightBitWidth.Needed([3, -5, 0, 7]));   // −5 and 7 need 4 bits
        Assert.Equal(1, WeightBitWidth.Needed([]));
    }

    [Fact]
    public void Residual_add_lifts_the_smaller_pending_shift_by_the_difference()
    {
        var a = new LinearLayerOutput([Ring.FromSigned(3), Ring.FromSigned(-5)], 2);
        var b = new LinearLayerOutput([Ring.FromSigned(10), Ring.FromSigned(1)], 5);
        var sum = LocalLinearOps.ResidualAdd(Ring, a, b);
        Assert.Equal(5, sum.PendingShift);
        Assert.Equal(new[] { Ring.FromSigned(3 * 8 + 10), Ring.FromSigned(-5 * 8 + 1) }, sum.Share);
        var e = Assert.Throws<ArgumentException>(() => LocalLinearOps.ResidualAdd(Ring, a, new LinearLayerOutput([1], 0)));
        Assert.Contains("residual operands differ in length: 2 and 1", e.Message);
    }

    [Fact]
    public void Average_pool_with_a_1x1_window_is_the_strided_input()
    {
        var share = new ulong[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        var pool = LocalLinearOps.AveragePoolSum(Ring, 1, 3, 3, 1, 2, 0, share);
        Assert.Equal(new ulong[] { 1, 3, 7, 9 }, pool.Share);
    }
}
