using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;
using static CoPriv.Protocols.Tests.Privacy.SecretInputs;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// The linear protocols in the privacy harness, on tiny shapes (ℓ = 24, s = 4): the server's secret is its weights,
/// bias and input share, the client's its input share. Both OT orientations appear, since they swap which party
/// receives what.
/// </summary>
internal static class LinearPrivacyCases
{
    private const string LayerName = "privacy";
    private static readonly FixedPoint Format = new(24, 4);
    private static readonly Ring Ring = Format.Ring;
    private static readonly MatMulShape Product = new(3, 4, 2);

    public static IReadOnlyList<PrivacyProtocol> All { get; } =
    [
        MatMul("OT matmul, client receives", OtOrientation.ClientReceives),
        MatMul("OT matmul, server receives", OtOrientation.ServerReceives),
        Layer("fully connected 6 → 3", typeof(FullyConnectedProtocol), OrientationPolicy.ClientReceives, 6, 3 * 6, 3,
            (w, b, o) => FullyConnectedProtocol.ForServer(6, 3, w, b, o), o => FullyConnectedProtocol.ForClient(6, 3, o)),
        Layer("BatchNorm, 2 channels of 4", typeof(BatchNormProtocol), OrientationPolicy.ServerReceives, 8, 2, 2,
            (w, b, o) => BatchNormProtocol.ForServer(2, 4, w, b, o), o => BatchNormProtocol.ForClient(2, 4, o)),
        Conv("im2col convolution", typeof(ConvolutionProtocol), OrientationPolicy.ClientReceives, new ConvShape(1, 2, 3, 3, padding: 1),
            (shape, w, b, o) => ConvolutionProtocol.ForServer(shape, w, b, o), (shape, o) => ConvolutionProtocol.ForClient(shape, o)),
        Conv("Winograd F(2×2, 3×3)", typeof(WinogradConvolutionProtocol), OrientationPolicy.ServerReceives, new ConvShape(1, 2, 3, 3, padding: 1),
            (shape, w, b, o) => WinogradConvolutionProtocol.ForServer(shape, WinogradTile.F2x2, w, b, o),
            (shape, o) => WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F2x2, o)),
        Conv("Winograd F(4×4, 3×3)", typeof(WinogradConvolutionProtocol), OrientationPolicy.ClientReceives, new ConvShape(1, 2, 3, 3, padding: 1),
            (shape, w, b, o) => WinogradConvolutionProtocol.ForServer(shape, WinogradTile.F4x4, w, b, o),
            (shape, o) => WinogradConvolutionProtocol.ForClient(shape, WinogradTile.F4x4, o)),
        Conv("polyphase stride-2 convolution", typeof(PolyphaseConvolutionProtocol), OrientationPolicy.Cheaper,
            new ConvShape(1, 2, 5, 5, stride: 2, padding: 1),
            (shape, w, b, o) => PolyphaseConvolutionProtocol.ForServer(shape, w, b, o),
            (shape, o) => PolyphaseConvolutionProtocol.ForClient(shape, o)),
    ];

    /// <summary>C = A·B on its own: the server's input is A then its share B0, the client's its share B1.</summary>
    private static PrivacyProtocol MatMul(string name, OtOrientation orientation)
    {
        int a = Product.D1 * Product.D2, b = Product.D2 * Product.D3, c = Product.D1 * Product.D3;
        return new PrivacyProtocol(name, typeof(OtMatMul),
            s => new PartyInputs(
                Concat(Signed(Ring, a, 1 << Format.Scale, s.Of(PartyRole.Server)), Uniform(Ring, b, s.Of(PartyRole.Server))),
                Uniform(Ring, b, s.Of(PartyRole.Client))),
            (ctx, input) =>
            {
                if (ctx.Role == PartyRole.Server)
                    OtMatMul.RunServer(ctx, Ring, Product, orientation, input.AsSpan(0, a), input.AsSpan(a), new ulong[c]);
                else
                    OtMatMul.RunClient(ctx, Ring, Product, orientation, input, new ulong[c]);
            },
            MaskedOpenings.OtOutputs);
    }

    private static PrivacyProtocol Conv(string name, Type protocol, OrientationPolicy policy, ConvShape shape,
        Func<ConvShape, long[], long[], LinearLayerOptions, LinearLayerProtocol> forServer,
        Func<ConvShape, LinearLayerOptions, LinearLayerProtocol> forClient) =>
        Layer($"{name}, {shape}", protocol, policy, shape.InputLength, shape.WeightLength, shape.K,
            (w, b, o) => forServer(shape, w, b, o), o => forClient(shape, o));

    /// <summary>
    /// A layer: the server's input is its weights and bias (signed, scale s) then its input share; the client's is its
    /// input share.
    /// </summary>
    private static PrivacyProtocol Layer(string name, Type protocol, OrientationPolicy policy, int inputs, int weights, int bias,
        Func<long[], long[], LinearLayerOptions, LinearLayerProtocol> forServer, Func<LinearLayerOptions, LinearLayerProtocol> forClient)
    {
        var options = new LinearLayerOptions(Format, policy, LayerName);
        return new PrivacyProtocol(name, protocol,
            s => new PartyInputs(
                Concat(Signed(Ring, weights + bias, 1 << Format.Scale, s.Of(PartyRole.Server)), Uniform(Ring, inputs, s.Of(PartyRole.Server))),
                Uniform(Ring, inputs, s.Of(PartyRole.Client))),
            (ctx, input) =>
            {
                var layer = ctx.Role == PartyRole.Server
                    ? forServer(AsSigned(Ring, input.AsSpan(0, weights)), AsSigned(Ring, input.AsSpan(weights, bias)), options)
                    : forClient(options);
                layer.Run(ctx, input.AsSpan(input.Length - inputs));
            },
            MaskedOpenings.Linear(LayerName));
    }
}
