using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// ReLU6 on shares as ReLU(x) − ReLU(x − 6·2^s), both ReLUs in one batch of 2n (the server subtracts the public
/// bound from its share). Exact as long as x − 6·2^s does not wrap, as everywhere in fixed point. A partial ReLU6 runs
/// on its kept channels' elements only (<see cref="ChannelMask"/>).
/// </summary>
internal sealed class SecureRelu6 : SecureOperation
{
    private readonly ChannelMask _mask;
    private readonly int _n;
    private readonly ulong _bound;

    public SecureRelu6(RingRelu6 relu6, SecureInferencePolicy policy, string layerName) : base(relu6, policy, layerName)
    {
        _mask = new ChannelMask(relu6.OutputShape, relu6.KeptChannels);
        _n = _mask.MarkedCount;
        _bound = Ring.FromSigned(relu6.UpperBound);
    }

    public override string OperatorName => "relu6";
    public override OperatorCategory Category => OperatorCategory.Relu;
    public override string Protocol => $"two ReLUs in one batch (millionaires', m = {Policy.MillionaireRadix}) + {SecureRelu.Multiplexer(Policy.Relu)}";
    public override CommunicationCost Cost => NonLinearBatches.Cost(_n, n => CallCost(Triples(n),
        t => ReluProtocol.Cost(2 * n, Ring, Policy.Relu, Policy.MillionaireRadix, t, Policy.Ot.Costs)), PerCall);

    private long Triples(int n) => ReluProtocol.TriplesNeeded(2 * n, Ring, Policy.MillionaireRadix);

    public override object? Preprocess(PartyContext ctx)
    {
        FillTriples(ctx, _n, Triples, PerCall);
        return null;
    }

    /// <summary>Elements per call: each call runs twice as many ReLUs.</summary>
    private const int PerCall = NonLinearBatches.MaxElements / 2;

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var x = _mask.Marked(inputs[0]);
        var y = new ulong[_n];
        var both = new ulong[2 * Math.Min(_n, PerCall)];
        foreach (var (start, count) in NonLinearBatches.Split(_n, PerCall))
        {
            var batch = both.AsSpan(0, 2 * count);
            x.AsSpan(start, count).CopyTo(batch);
            x.AsSpan(start, count).CopyTo(batch[count..]);
            if (ctx.Role == PartyRole.Server)
                for (int i = count; i < batch.Length; i++) batch[i] = Ring.Sub(batch[i], _bound);
            ReluProtocol.Run(ctx, Ring, batch, batch, Policy.Relu, Policy.MillionaireRadix);
            Ring.Sub(batch[..count], batch[count..], y.AsSpan(start, count));
        }
        return _mask.Merge(y, _mask.Rest(inputs[0]));
    }
}
