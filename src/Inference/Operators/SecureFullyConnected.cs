using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// A fully connected layer on shares: one OT product (Out × In)·(In × 1), OTs in pre-processing, the client's masked
/// share online. The server holds the weights and adds the bias (at the output scale) to its share.
/// </summary>
internal sealed class SecureFullyConnected : SecureLinearOperation
{
    private readonly RingFullyConnected _fc;
    private readonly LinearLayerOptions _options;

    public SecureFullyConnected(RingFullyConnected fc, SecureInferencePolicy policy, string layerName)
        : base(fc, policy, layerName)
    {
        _fc = fc;
        _options = new LinearLayerOptions(new FixedPoint(Ring, policy.Scale), policy.Orientation, layerName)
        {
            OtBackend = policy.Ot,
            WeightBits = policy.WeightBits,
        };
        var orientation = FullyConnectedProtocol.ForClient(fc.InFeatures, fc.OutFeatures, _options).Orientation;
        Protocol = "OT matrix-vector product" + ReceiverSuffix(orientation);
    }

    public override string OperatorName => "fc";
    public override OperatorCategory Category => OperatorCategory.Linear;
    public override string Protocol { get; }
    public override CommunicationCost Cost => FullyConnectedProtocol.CostOf(_fc.InFeatures, _fc.OutFeatures, _options);

    public override int? WeightBits => _options.WeightBits ?? Ring.Bits;

    public override int WeightBitsNeeded() => ServerLayer().WeightBitsNeeded;

    private FullyConnectedProtocol ServerLayer() =>
        FullyConnectedProtocol.ForServer(_fc.InFeatures, _fc.OutFeatures, ConvolutionShapes.Signed(Ring, _fc.Weights), [], _options);

    private protected override LinearLayerProtocol Layer(PartyRole role) =>
        role == PartyRole.Server ? ServerLayer() : FullyConnectedProtocol.ForClient(_fc.InFeatures, _fc.OutFeatures, _options);

    private protected override void AddServerOffsets(ulong[] output)
    {
        if (_fc.Bias is { } bias) FixedPointReferenceExecutor.AddPerChannel(Ring, output, bias);
    }
}
