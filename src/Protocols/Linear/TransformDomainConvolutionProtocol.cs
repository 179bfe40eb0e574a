using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// What the Winograd and the polyphase convolutions share: the server's weights transformed offline (U), the OT
/// matrix products of the transform domain in pre-processing (<see cref="TransformDomainProducts"/>), the output
/// transform of each party's share online, and the bias the server adds to its share. A subclass only says which
/// transform, which shapes it supports, and at what scale the output comes out.
/// </summary>
public abstract class TransformDomainConvolutionProtocol : LinearLayerProtocol
{
    private readonly TransformDomainProducts _products;
    private readonly ulong[]? _u;
    private readonly long[]? _bias;
    private ulong[]? _preShare;

    private protected override int PreprocessedShareLength => _preShare?.Length ?? 0;

    private protected TransformDomainConvolutionProtocol(PartyRole role, ConvShape shape, IConvolutionTransform transform,
        LinearLayerOptions options, int pendingShift, ulong[]? u, long[]? bias)
        : base(role, options, shape.InputLength, shape.OutputLength, pendingShift)
    {
        _products = new TransformDomainProducts(transform, shape, options);
        if (u is not null) CheckServerOperand(u, "the transformed weights");
        _u = u;
        _bias = bias;
    }

    public ConvShape Shape => _products.Shape;

    /// <summary>T: output tiles per channel.</summary>
    public int Tiles => _products.Tiles;

    /// <summary>The orientation of the transform domain's products.</summary>
    public OtOrientation Orientation => _products.Orientation;

    /// <summary>The server's bias checked against the shape (null when empty).</summary>
    private protected static long[]? CheckedBias(ConvShape shape, ReadOnlySpan<long> bias)
    {
        if (!bias.IsEmpty && bias.Length != shape.K)
            throw new ArgumentException($"the bias has {bias.Length} values, {shape} has K = {shape.K} output channels");
        return bias.IsEmpty ? null : bias.ToArray();
    }

    private protected override void PreprocessServer(LinearPorts ports) => _preShare = _products.PreprocessServer(ports, _u!);

    private protected override void PreprocessClient(LinearPorts ports, ReadOnlySpan<ulong> mask) =>
        _preShare = _products.PreprocessClient(ports, mask);

    private protected override void OnlineServer(ReadOnlySpan<ulong> maskedInput, Span<ulong> output)
    {
        _products.OnlineServer(maskedInput, _u!, _preShare!, output);
        _preShare = null;
        if (_bias is not null) ConvolutionReference.AddBias(Ring, _bias, PendingShift, Shape.OutH * Shape.OutW, output);
    }

    private protected override void OnlineClient(Span<ulong> output)
    {
        _preShare.AsSpan().CopyTo(output);
        _preShare = null;
    }
}
