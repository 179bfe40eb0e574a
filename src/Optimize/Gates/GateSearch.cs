using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoPriv.Optimize;

/// <summary>
/// The gates of the search phase. Each group i has a learnable α_i (initially 0) and ĉ_i = clamp(α_i, 0, 1). Before
/// every step the kept set is re-selected (<see cref="GateSelection"/>); an activation σ of group i then outputs
///   kept:    y = σ(x) + (x − σ(x))·(ĉ − sg(ĉ))
///   removed: y = σ(x) + (x − σ(x))·(1 + ĉ − sg(ĉ)) = x + (x − σ(x))·(ĉ − sg(ĉ))
/// with sg = stop-gradient: the forward pass is exactly σ(x) or x (ĉ − sg(ĉ) is 0), the backward pass gives α_i the
/// gradient Σ ∂L/∂y·(x − σ(x)) (how much the task gains from linearizing the group) either way. The removed branch is
/// computed in its second form so that it is x to the last bit, not σ(x) + (x − σ(x)) rounded.
/// The penalty −λ_c·Σ_i CommSaving_i·max(α_i, 0) (savings in 100 MB) pushes α up the more a group saves.
/// </summary>
internal sealed class GateSearch : IActivationRewrite, IDisposable
{
    private readonly Dictionary<string, int> _groupOfNode = new(StringComparer.Ordinal);
    private readonly Tensor _savings;
    private bool[] _kept;

    public GateSearch(IReadOnlyList<GateGroup> groups, int keepCount, ScalarType dtype)
    {
        TorchRuntime.EnsureNativeEnvironment();
        Groups = groups;
        KeepCount = keepCount;
        for (int g = 0; g < groups.Count; g++)
            foreach (var node in groups[g].ActivationNodes)
                _groupOfNode[node] = g;
        Alpha = new Parameter(torch.zeros(groups.Count, dtype).DetachFromDisposeScope(), requires_grad: true);
        _savings = torch.tensor(groups.Select(g => g.CommSavingUnits).ToArray(), dtype: dtype).DetachFromDisposeScope();
        _kept = GateSelection.Kept(new double[groups.Count], keepCount);
    }

    public IReadOnlyList<GateGroup> Groups { get; }
    public int KeepCount { get; }
    public Parameter Alpha { get; }

    /// <summary>The current selection: kept[i] for group i.</summary>
    public IReadOnlyList<bool> Kept => _kept;

    public double[] AlphaValues() => TorchTensors.ToDoubles(Alpha);

    /// <summary>Re-selects the kept gates from the current α.</summary>
    public void Reselect() => _kept = GateSelection.Kept(AlphaValues(), KeepCount);

    public Tensor Apply(string node, Tensor input, Tensor activated)
    {
        if (!_groupOfNode.TryGetValue(node, out int g)) return activated;
        var gate = Alpha[g].clamp(0, 1);
        var straightThrough = gate - gate.detach();
        return (_kept[g] ? activated : input) + (input - activated) * straightThrough;
    }

    /// <summary>−λ_c·Σ_i CommSaving_i·max(α_i, 0); max(α, 0) passes its gradient at α = 0, where every α starts.</summary>
    public Tensor CommunicationPenalty(double weight) => -(_savings * Alpha.clamp_min(0)).sum() * weight;

    public void Dispose()
    {
        Alpha.Dispose();
        _savings.Dispose();
    }
}
