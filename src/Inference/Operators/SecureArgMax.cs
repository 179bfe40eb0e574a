using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// The last step: argmax over the logits, revealed to the client only. The client's output "share" is the class
/// index itself and the server's is 0, so the two still add up to the reference executor's result.
/// </summary>
internal sealed class SecureArgMax : SecureOperation
{
    private readonly int _classes;

    public SecureArgMax(RingArgMax argmax, int classes, SecureInferencePolicy policy, string layerName) : base(argmax, policy, layerName)
    {
        _classes = classes;
    }

    public override string OperatorName => "argmax";
    public override OperatorCategory Category => OperatorCategory.ArgMax;
    public override string Protocol => $"DReLU tournament over {_classes} classes, index revealed to the client";
    public override CommunicationCost Cost => CallCost(Triples,
        t => ArgMaxProtocol.Cost(1, _classes, Ring, ArgMaxOutput.RevealToClient, Policy.MillionaireRadix, t, Policy.Ot.Costs));

    private long Triples => ArgMaxProtocol.TriplesNeeded(1, _classes, Ring, Policy.MillionaireRadix);

    public override object? Preprocess(PartyContext ctx)
    {
        FillTriples(ctx, 1, _ => Triples);
        return null;
    }

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        Span<int> index = stackalloc int[1];
        ArgMaxProtocol.RunRevealToClient(ctx, Ring, inputs[0], _classes, index, Policy.MillionaireRadix);
        return [ctx.Role == PartyRole.Client ? (ulong)index[0] : 0UL];
    }
}
