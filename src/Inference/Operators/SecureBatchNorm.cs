using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// BatchNorm kept as an element-wise OT product (CrypTFlow2's inference mode): one (1×1)·(1×H·W) product per channel
/// with the server's multiplier, OTs in pre-processing. The server adds the shift (at the output scale) to its share.
/// </summary>
internal sealed class SecureBatchNorm : SecureLinearOperation
{
    private readonly RingBatchNorm _bn;
    private readonly LinearLayerOptions _options;
    private readonly int _perChannel;

    public SecureBatchNorm(RingBatchNorm bn, SecureInferencePolicy policy, string layerName)
        : base(bn, policy, layerName)
    {
        _bn = bn;
        _perChannel = bn.OutputShape.ElementCount / bn.Channels;
        _options = new LinearLayerOptions(new FixedPoint(Ring, policy.Scale), policy.Orientation, layerName)
        {
            OtBackend = policy.Ot,
            WeightBits = policy.WeightBits,
        };
        var orientation = BatchNormProtocol.ForClient(bn.Channels, _perChannel, _options).Orientation;
        Protocol = "element-wise OT product" + ReceiverSuffix(orientation);
    }

    public override string OperatorName => "batchnorm";
    public override OperatorCategory Category => OperatorCategory.BatchNorm;
    public override string Protocol { get; }
    public override CommunicationCost Cost => BatchNormProtocol.CostOf(_bn.Channels, _perChannel, _options);

    public override int? WeightBits => _options.WeightBits ?? Ring.Bits;

    public override int WeightBitsNeeded() => ServerLayer().WeightBitsNeeded;

    private BatchNormProtocol ServerLayer() =>
        BatchNormProtocol.ForServer(_bn.Channels, _perChannel, ConvolutionShapes.Signed(Ring, _bn.Multipliers), new long[_bn.Channels], _options);

    private protected override LinearLayerProtocol Layer(PartyRole role) =>
        role == PartyRole.Server ? ServerLayer() : BatchNormProtocol.ForClient(_bn.Channels, _perChannel, _options);

    private protected override void AddServerOffsets(ulong[] output) =>
        FixedPointReferenceExecutor.AddPerChannel(Ring, output, _bn.Shifts);
}
