using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Models.Secure;

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

    public override CommunicationCost Cost =>
        FaithfulTruncation.Cost(_truncate.OutputShape.ElementCount, Ring, _truncate.Shift, _msb, Policy.MillionaireRadix);

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var y = new ulong[inputs[0].Length];
        FaithfulTruncation.Run(ctx, Ring, _truncate.Shift, inputs[0], y, _msb, Policy.MillionaireRadix);
        return y;
    }
}
