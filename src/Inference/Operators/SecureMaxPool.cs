using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// Max pooling on shares with <see cref="MaxPoolProtocol"/> (pairwise ReLU tournaments). Windows cut by the padding
/// are filled up to the full window size with copies of one of their own elements, which leaves the maximum alone
/// and lets every window use the same tournament.
/// </summary>
internal sealed class SecureMaxPool : SecureOperation
{
    private readonly PoolingWindows _windows;
    private readonly int _windowSize;

    public SecureMaxPool(RingMaxPool pool, TensorShape input, SecureInferencePolicy policy, string layerName)
        : base(pool, policy, layerName)
    {
        _windows = PoolingWindows.Of(pool.Pool, input, pool.OutputShape);
        _windowSize = _windows.MaxSize;
    }

    public override string OperatorName => "maxpool";
    public override OperatorCategory Category => OperatorCategory.Pooling;
    public override string Protocol => $"ReLU tournament over windows of {_windowSize}";
    public override CommunicationCost Cost => NonLinearBatches.Cost(_windows.Count, n => CallCost(Triples(n),
        t => MaxPoolProtocol.Cost(n, _windowSize, Ring, Policy.Relu, Policy.MillionaireRadix, t, Policy.Ot.Costs)), WindowsPerCall);

    private long Triples(int windows) => MaxPoolProtocol.TriplesNeeded(windows, _windowSize, Ring, Policy.MillionaireRadix);

    public override object? Preprocess(PartyContext ctx)
    {
        FillTriples(ctx, _windows.Count, Triples, WindowsPerCall);
        return null;
    }

    /// <summary>Windows per call, so that a call holds at most <see cref="NonLinearBatches.MaxElements"/> values.</summary>
    private int WindowsPerCall => Math.Max(1, NonLinearBatches.MaxElements / _windowSize);

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var x = inputs[0];
        var gathered = new ulong[_windows.Count * _windowSize];
        for (int w = 0; w < _windows.Count; w++)
        {
            int start = _windows.Starts[w], size = _windows.Starts[w + 1] - start;
            for (int k = 0; k < _windowSize; k++)
                gathered[w * _windowSize + k] = x[_windows.Indices[start + Math.Min(k, size - 1)]];
        }
        var y = new ulong[_windows.Count];
        foreach (var (start, count) in NonLinearBatches.Split(_windows.Count, WindowsPerCall))
            MaxPoolProtocol.Run(ctx, Ring, gathered.AsSpan(start * _windowSize, count * _windowSize), _windowSize,
                y.AsSpan(start, count), Policy.Relu, Policy.MillionaireRadix);
        return y;
    }
}
