using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Models.Secure;

/// <summary>
/// ReLU6 on shares as ReLU(x) − ReLU(x − 6·2^s), both ReLUs in one batch of 2n (the server subtracts the public
/// bound from its share). Exact as long as x − 6·2^s does not wrap, as everywhere in fixed point.
/// </summary>
internal sealed class SecureRelu6 : SecureOperation
{
    private readonly int _n;
    private readonly ulong _bound;

    public SecureRelu6(RingRelu6 relu6, SecureInferencePolicy policy, string layerName) : base(relu6, policy, layerName)
    {
        _n = relu6.OutputShape.ElementCount;
        _bound = Ring.FromSigned(relu6.UpperBound);
    }

    public override string OperatorName => "relu6";
    public override OperatorCategory Category => OperatorCategory.Relu;
    public override string Protocol => $"two ReLUs in one batch (millionaires', m = {Policy.MillionaireRadix}) + {SecureRelu.Multiplexer(Policy.Relu)}";
    public override CommunicationCost Cost => ReluProtocol.Cost(2 * _n, Ring, Policy.Relu, Policy.MillionaireRadix);

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var x = inputs[0];
        var both = new ulong[2 * _n];
        x.CopyTo(both, 0);
        x.CopyTo(both, _n);
        if (ctx.Role == PartyRole.Server)
            for (int i = _n; i < both.Length; i++) both[i] = Ring.Sub(both[i], _bound);
        ReluProtocol.Run(ctx, Ring, both, both, Policy.Relu, Policy.MillionaireRadix);
        var y = new ulong[_n];
        Ring.Sub(both.AsSpan(0, _n), both.AsSpan(_n), y);
        return y;
    }
}
