using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// Average pooling on shares: each party sums its own share over every window (padding counts as zero), then the
/// exact division by the public window size (<see cref="PublicDivision"/>; a faithful truncation when it is a power
/// of two).
/// </summary>
internal sealed class SecureAveragePool : SecureOperation
{
    private readonly RingAveragePool _pool;
    private readonly PoolingWindows _windows;

    public SecureAveragePool(RingAveragePool pool, TensorShape input, SecureInferencePolicy policy, string layerName)
        : base(pool, policy, layerName)
    {
        _pool = pool;
        _windows = PoolingWindows.Of(pool.Pool, input, pool.OutputShape);
    }

    public override string OperatorName => "avgpool";
    public override OperatorCategory Category => OperatorCategory.Pooling;
    public override string Protocol => $"local window sums, exact division by {_pool.Divisor}";
    public override CommunicationCost Cost => NonLinearBatches.Cost(_pool.OutputShape.ElementCount, n => CallCost(Triples(n),
        t => PublicDivision.Cost(n, Ring, _pool.Divisor, Policy.MillionaireRadix, t, Policy.Ot.Costs)));

    private long Triples(int n) => PublicDivision.TriplesNeeded(n, Ring, _pool.Divisor, Policy.MillionaireRadix);

    public override object? Preprocess(PartyContext ctx)
    {
        FillTriples(ctx, _pool.OutputShape.ElementCount, Triples);
        return null;
    }

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var x = inputs[0];
        var sums = new ulong[_windows.Count];
        for (int w = 0; w < sums.Length; w++)
        {
            ulong sum = 0;
            for (int k = _windows.Starts[w]; k < _windows.Starts[w + 1]; k++) sum += x[_windows.Indices[k]];
            sums[w] = sum & Ring.Mask;
        }
        var y = new ulong[sums.Length];
        foreach (var (start, count) in NonLinearBatches.Split(sums.Length))
            PublicDivision.Run(ctx, Ring, _pool.Divisor, sums.AsSpan(start, count), y.AsSpan(start, count), Policy.MillionaireRadix);
        return y;
    }
}
