using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// Faithful truncation (exact signed floor(x / 2^k)); the cheaper form when the lowering vouches that the input
/// follows a ReLU (its sign is known to be non-negative). After a partial activation the cheaper form runs on its kept
/// channels' elements and the sign-unknown one on the others (<see cref="ChannelMask"/>), two calls of their own.
/// </summary>
internal sealed class SecureTruncation : SecureOperation
{
    private readonly RingTruncate _truncate;
    private readonly MsbKnowledge _msb;
    private readonly ChannelMask? _nonNegative;

    public SecureTruncation(RingTruncate truncate, SecureInferencePolicy policy, string layerName) : base(truncate, policy, layerName)
    {
        _truncate = truncate;
        _msb = truncate.InputNonNegative ? MsbKnowledge.NonNegative : MsbKnowledge.Unknown;
        if (truncate.NonNegativeChannels is { } channels) _nonNegative = new ChannelMask(truncate.OutputShape, channels);
    }

    public override string OperatorName => "truncate";
    public override OperatorCategory Category => OperatorCategory.Truncation;

    public override string Protocol => $"faithful truncation by {_truncate.Shift} bits, " + (_nonNegative is { } mask
        ? $"input non-negative on {mask.MarkedCount} elements, sign unknown on {mask.RestCount}"
        : _msb == MsbKnowledge.NonNegative ? "input non-negative" : "sign unknown");

    public override CommunicationCost Cost => _nonNegative is { } mask
        ? CostOf(mask.MarkedCount, MsbKnowledge.NonNegative) + CostOf(mask.RestCount, MsbKnowledge.Unknown)
        : CostOf(_truncate.OutputShape.ElementCount, _msb);

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var x = inputs[0];
        if (_nonNegative is not { } mask) return Truncate(ctx, x, _msb);
        var nonNegative = Truncate(ctx, mask.Marked(x), MsbKnowledge.NonNegative);
        return mask.Merge(nonNegative, Truncate(ctx, mask.Rest(x), MsbKnowledge.Unknown));
    }

    private CommunicationCost CostOf(int n, MsbKnowledge msb) => NonLinearBatches.Cost(n, count => CallCost(Triples(count, msb),
        t => FaithfulTruncation.Cost(count, Ring, _truncate.Shift, msb, Policy.MillionaireRadix, t, Policy.Ot.Costs)));

    private long Triples(int n, MsbKnowledge msb) => FaithfulTruncation.TriplesNeeded(n, Ring, _truncate.Shift, msb, Policy.MillionaireRadix);

    public override object? Preprocess(PartyContext ctx)
    {
        if (_nonNegative is { } mask)
        {
            FillTriples(ctx, mask.MarkedCount, n => Triples(n, MsbKnowledge.NonNegative));
            FillTriples(ctx, mask.RestCount, n => Triples(n, MsbKnowledge.Unknown));
        }
        else
        {
            FillTriples(ctx, _truncate.OutputShape.ElementCount, n => Triples(n, _msb));
        }
        return null;
    }

    private ulong[] Truncate(PartyContext ctx, ulong[] x, MsbKnowledge msb)
    {
        var y = new ulong[x.Length];
        foreach (var (start, count) in NonLinearBatches.Split(x.Length))
            FaithfulTruncation.Run(ctx, Ring, _truncate.Shift, x.AsSpan(start, count), y.AsSpan(start, count), msb, Policy.MillionaireRadix);
        return y;
    }
}
