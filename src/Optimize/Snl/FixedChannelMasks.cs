using TorchSharp;
using static TorchSharp.torch;

namespace CoPriv.Optimize;

/// <summary>SNL's binarized masks: in each listed node the kept channels output σ(x), the others x, exactly.</summary>
internal sealed class FixedChannelMasks : IActivationRewrite, IDisposable
{
    private readonly Dictionary<string, Tensor> _kept = new(StringComparer.Ordinal);

    public FixedChannelMasks(IEnumerable<SnlNodeChannels> nodes)
    {
        TorchRuntime.EnsureNativeEnvironment();
        foreach (var node in nodes)
        {
            var kept = new bool[node.Channels];
            foreach (int c in node.KeptChannels) kept[c] = true;
            _kept[node.Node] = torch.tensor(kept).DetachFromDisposeScope();
        }
    }

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
