using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Models.Secure;

/// <summary>ReLU on shares: DReLU from the millionaires' protocol, then a multiplexer (one OT per direction).</summary>
internal sealed class SecureRelu : SecureOperation
{
    private readonly int _n;

    public SecureRelu(RingRelu relu, SecureInferencePolicy policy, string layerName) : base(relu, policy, layerName)
    {
        _n = relu.OutputShape.ElementCount;
    }

    public override string OperatorName => "relu";
    public override OperatorCategory Category => OperatorCategory.Relu;
    public override string Protocol => $"DReLU (millionaires', m = {Policy.MillionaireRadix}) + {Multiplexer(Policy.Relu)}";
    public override CommunicationCost Cost => ReluProtocol.Cost(_n, Ring, Policy.Relu, Policy.MillionaireRadix);

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var y = new ulong[_n];
        ReluProtocol.Run(ctx, Ring, inputs[0], y, Policy.Relu, Policy.MillionaireRadix);
        return y;
    }

    internal static string Multiplexer(ReluVariant variant) =>
        variant == ReluVariant.ChosenMessageOt ? "two chosen-message OTs" : "correlated-OT multiplexer";
}
