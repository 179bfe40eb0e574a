using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// ReLU on shares: DReLU from the millionaires' protocol, then a multiplexer (one OT per direction), in calls of at
/// most <see cref="NonLinearBatches.MaxElements"/> elements. A partial ReLU runs the protocol on its kept channels'
/// elements only (<see cref="ChannelMask"/>), so it costs what a ReLU of that many elements costs.
/// </summary>
internal sealed class SecureRelu : SecureOperation
{
    private readonly ChannelMask _mask;
    private readonly int _n;

    public SecureRelu(RingRelu relu, SecureInferencePolicy policy, string layerName) : base(relu, policy, layerName)
    {
        _mask = new ChannelMask(relu.OutputShape, relu.KeptChannels);
        _n = _mask.MarkedCount;
    }

    public override string OperatorName => "relu";
    public override OperatorCategory Category => OperatorCategory.Relu;
    public override string Protocol => $"DReLU (millionaires', m = {Policy.MillionaireRadix}) + {Multiplexer(Policy.Relu)}";
    public override CommunicationCost Cost => NonLinearBatches.Cost(_n, n => CallCost(Triples(n),
        t => ReluProtocol.Cost(n, Ring, Policy.Relu, Policy.MillionaireRadix, t, Policy.Ot.Costs)));

    private long Triples(int n) => ReluProtocol.TriplesNeeded(n, Ring, Policy.MillionaireRadix);

    public override object? Preprocess(PartyContext ctx)
    {
        FillTriples(ctx, _n, Triples);
        return null;
    }

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var x = _mask.Marked(inputs[0]);
        var y = new ulong[_n];
        foreach (var (start, count) in NonLinearBatches.Split(_n))
            ReluProtocol.Run(ctx, Ring, x.AsSpan(start, count), y.AsSpan(start, count), Policy.Relu, Policy.MillionaireRadix);
        return _mask.Merge(y, _mask.Rest(inputs[0]));
    }

    internal static string Multiplexer(ReluVariant variant) =>
        variant == ReluVariant.ChosenMessageOt ? "two chosen-message OTs" : "correlated-OT multiplexer";
}
