using TorchSharp;
using static TorchSharp.torch;

namespace CoPriv.Optimize;

/// <summary>
/// Fixed channel masks — SNL's binarized ones, or a graph's channel-masked activations: in each listed node the kept
/// channels output σ(x), the others x, exactly. The masks are libtorch tensors made once.
/// </summary>
internal sealed class FixedChannelMasks : IActivationRewrite, IDisposable
{
    private readonly Dictionary<string, Tensor> _kept = new(StringComparer.Ordinal);

    public FixedChannelMasks(IEnumerable<SnlNodeChannels> nodes) : this(nodes.Select(n => (n.Node, n.Mask()))) { }

    public FixedChannelMasks(IEnumerable<(string Node, bool[] Kept)> masks)
    {
        TorchRuntime.EnsureNativeEnvironment();
        foreach (var (node, kept) in masks) _kept[node] = torch.tensor(kept).DetachFromDisposeScope();
    }

    public bool IsEmpty => _kept.Count == 0;

    public Tensor Apply(string node, Tensor input, Tensor activated)
    {
        if (!_kept.TryGetValue(node, out var kept)) return activated;
        var shape = input.dim() == 4 ? new long[] { 1, -1, 1, 1 } : [1, -1];
        return torch.where(kept.reshape(shape), activated, input);
    }

    public void Dispose()
    {
        foreach (var kept in _kept.Values) kept.Dispose();
    }
}
