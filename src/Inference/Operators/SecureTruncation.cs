using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// Faithful truncation (exact signed floor(x / 2^k)); the cheaper form when the lowering vouches that the input
/// follows a ReLU (its sign is known to be non-negative).
/// </summary>
internal sealed class SecureTruncation : SecureOperation
{
    private readonly RingTruncate _truncate;
    private readonly MsbKnowledge _msb;

    public SecureTruncation(RingTruncate truncate, SecureInferencePolicy policy, string layerName) : base(truncate, policy, layerName)
    {
        _truncate = truncate;
        _msb = truncate.InputNonNegative ? MsbKnowledge.NonNegative : MsbKnowledge.Unknown;
    }

    public override string OperatorName => "truncate";
    public override OperatorCategory Category => OperatorCategory.Truncation;

    public override string Protocol =>
        $"faithful truncation by {_truncate.Shift} bits, " + (_msb == MsbKnowledge.NonNegative ? "input non-negative" : "sign unknown");

    public override CommunicationCost Cost => NonLinearBatches.Cost(_truncate.OutputShape.ElementCount,
        n => FaithfulTruncation.Cost(n, Ring, _truncate.Shift, _msb, Policy.MillionaireRadix, otCosts: Policy.Ot.Costs));

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var x = inputs[0];
        var y = new ulong[x.Length];
        foreach (var (start, count) in NonLinearBatches.Split(x.Length))
            FaithfulTruncation.Run(ctx, Ring, _truncate.Shift, x.AsSpan(start, count), y.AsSpan(start, count), _msb, Policy.MillionaireRadix);
        return y;
    }
}
