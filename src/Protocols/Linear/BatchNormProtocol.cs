using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// BatchNorm that cannot be folded into a preceding convolution, as an element-wise OT product: y = a_c·x + b_c per
/// channel c, with a and b the server's (fixed point at scale s, see <see cref="BatchNormFolding.FromStatistics"/>).
/// Each channel is a (1×1)·(1×H·W) OT product: with the client as receiver (SCI's way) that is ℓ COTs per element,
/// widths ℓ−k, i.e. ℓλ + Σ_k(ℓ−k) bits per element (6,109 at ℓ = 41; SCI rounds each OT to bytes: 6,256); with the
/// server as receiver (the cheaper choice) ℓ COTs per channel carrying the client's H·W values. The output is at
/// scale 2s and owes s bits of truncation. The server learns nothing about x, the client nothing about a, b.
/// </summary>
public sealed class BatchNormProtocol : LinearLayerProtocol
{
    private readonly ulong[]? _scale;
    private readonly long[]? _shift;
    private ulong[]? _preShare;

    private protected override int PreprocessedShareLength => _preShare?.Length ?? 0;

    private BatchNormProtocol(PartyRole role, int channels, int valuesPerChannel, LinearLayerOptions options, ulong[]? scale, long[]? shift)
        : base(role, options, channels * valuesPerChannel, channels * valuesPerChannel, options.Scale)
    {
        Channels = channels;
        ValuesPerChannel = valuesPerChannel;
        Orientation = OtMatMul.Choose(options.OtBackend.Costs, ChannelProduct(valuesPerChannel), options.Ring.Bits, options.Orientation,
            options.ServerOperandBits);
        if (scale is not null) CheckServerOperand(scale, "the BatchNorm multipliers");
        _scale = scale;
        _shift = shift;
    }

    /// <summary>The server's instance: per-channel scale a and shift b (signed fixed point at scale s).</summary>
    public static BatchNormProtocol ForServer(int channels, int valuesPerChannel, ReadOnlySpan<long> scale, ReadOnlySpan<long> shift,
        LinearLayerOptions options)
    {
        CheckSize(channels, valuesPerChannel);
        if (scale.Length != channels || shift.Length != channels)
            throw new ArgumentException($"BatchNorm over {channels} channels needs {channels} scales and shifts, got {scale.Length} and {shift.Length}");
        return new BatchNormProtocol(PartyRole.Server, channels, valuesPerChannel, options,
            RingMatrix.FromSigned(options.Ring, scale), shift.ToArray());
    }

    /// <summary>The client's instance.</summary>
    public static BatchNormProtocol ForClient(int channels, int valuesPerChannel, LinearLayerOptions options)
    {
        CheckSize(channels, valuesPerChannel);
        return new BatchNormProtocol(PartyRole.Client, channels, valuesPerChannel, options, null, null);
    }

    public int Channels { get; }
    public int ValuesPerChannel { get; }
    public OtOrientation Orientation { get; }

    public override CommunicationCost Cost => CostOf(Channels, ValuesPerChannel, Options);

    private protected override LinearLayerParameters Parameters => new(LinearProtocolId.BatchNorm, Ring.Bits, Options.Scale, 0,
        Orientation, Options.ServerOperandBits, [("channels", Channels), ("values per channel", ValuesPerChannel)]);

    /// <summary>Exact traffic: one (1×1)·(1×H·W) OT product per channel in pre-processing, the re-sharing online.</summary>
    public static CommunicationCost CostOf(int channels, int valuesPerChannel, LinearLayerOptions options)
    {
        CheckSize(channels, valuesPerChannel);
        var mm = ChannelProduct(valuesPerChannel);
        int ell = options.Ring.Bits;
        var ot = options.OtBackend.Costs;
        int weightBits = options.ServerOperandBits;
        return OtMatMul.Cost(ot, mm, ell, OtMatMul.Choose(ot, mm, ell, options.Orientation, weightBits), Phase.Preprocessing, weightBits).Times(channels)
               + HandshakeAndReshareCost((long)channels * valuesPerChannel, ell);
    }

    private static MatMulShape ChannelProduct(int valuesPerChannel) => new(1, 1, valuesPerChannel);

    private protected override void PreprocessServer(LinearPorts ports)
    {
        var mm = ChannelProduct(ValuesPerChannel);
        _preShare = new ulong[OutputLength];
        for (int c = 0; c < Channels; c++)
            OtMatMul.CrossTermServer(ports.Sender, ports.Receiver, Ring, mm, Orientation, Options.ServerOperandBits, _scale.AsSpan(c, 1),
                _preShare.AsSpan(c * ValuesPerChannel, ValuesPerChannel));
    }

    private protected override void PreprocessClient(LinearPorts ports, ReadOnlySpan<ulong> mask)
    {
        var mm = ChannelProduct(ValuesPerChannel);
        _preShare = new ulong[OutputLength];
        for (int c = 0; c < Channels; c++)
            OtMatMul.CrossTermClient(ports.Sender, ports.Receiver, Ring, mm, Orientation, Options.ServerOperandBits, mask.Slice(c * ValuesPerChannel, ValuesPerChannel),
                _preShare.AsSpan(c * ValuesPerChannel, ValuesPerChannel));
    }

    private protected override void OnlineServer(ReadOnlySpan<ulong> maskedInput, Span<ulong> output)
    {
        for (int c = 0; c < Channels; c++)
            Ring.MultiplyByPublic(maskedInput.Slice(c * ValuesPerChannel, ValuesPerChannel), _scale![c],
                output.Slice(c * ValuesPerChannel, ValuesPerChannel));
        Ring.Add(output, _preShare, output);
        _preShare = null;
        ConvolutionReference.AddBias(Ring, _shift, PendingShift, ValuesPerChannel, output);
    }

    private protected override void OnlineClient(Span<ulong> output)
    {
        _preShare.AsSpan().CopyTo(output);
        _preShare = null;
    }

    /// <summary>Cleartext reference: a_c·x + b_c·2^s mod 2^ℓ (untruncated, scale 2s).</summary>
    public static ulong[] Reference(Ring ring, int scaleBits, ReadOnlySpan<long> scale, ReadOnlySpan<long> shift, ReadOnlySpan<ulong> x)
    {
        int perChannel = x.Length / scale.Length;
        var y = new ulong[x.Length];
        for (int c = 0; c < scale.Length; c++)
            ring.MultiplyByPublic(x.Slice(c * perChannel, perChannel), ring.FromSigned(scale[c]), y.AsSpan(c * perChannel, perChannel));
        ConvolutionReference.AddBias(ring, shift, scaleBits, perChannel, y);
        return y;
    }

    private static void CheckSize(int channels, int valuesPerChannel)
    {
        if (channels < 1 || valuesPerChannel < 1)
            throw new ArgumentException($"BatchNorm needs at least one channel and one value per channel, got {channels} × {valuesPerChannel}");
    }
}
