using CoPriv.Models.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoPriv.Optimize;

/// <summary>
/// SNL's channel-wise ReLU masks: each masked node has a learnable m ∈ [0, 1] per channel (initially 1), applied as
/// y = m·σ(x) + (1 − m)·x = σ(x) + (x − σ(x))·(1 − m) with m = clamp(mask, 0, 1). A channel counts as a ReLU while
/// its mask is above 0. The penalty is the L1 norm of the masks, each weighted by the ReLUs its channel stands for,
/// as a fraction of all the masked nodes' ReLUs, so that it falls as the ReLU count does.
/// </summary>
internal sealed class ChannelMasks : IActivationRewrite, IDisposable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public ChannelMasks(ModelGraph graph, IReadOnlyList<string> nodes, ScalarType dtype)
    {
        TorchRuntime.EnsureNativeEnvironment();
        Nodes = nodes.Select(name =>
        {
            var shape = graph.ShapeOf(graph.NodeNamed(name).Output);
            return new SnlNodeChannels(name, shape[0], shape.ElementCount / shape[0], Enumerable.Range(0, shape[0]).ToArray());
        }).ToArray();
        for (int i = 0; i < Nodes.Count; i++) _index[Nodes[i].Node] = i;
        Masks = Nodes.Select(n => new Parameter(torch.ones(n.Channels, dtype).DetachFromDisposeScope(), requires_grad: true)).ToArray();
        TotalRelus = Nodes.Sum(n => n.OriginalReluCount);
    }

    /// <summary>The masked nodes, with every channel kept (their shapes).</summary>
    public IReadOnlyList<SnlNodeChannels> Nodes { get; }

    public IReadOnlyList<Parameter> Masks { get; }
    public long TotalRelus { get; }

    /// <summary>λ of <see cref="Penalty"/>; the search raises it.</summary>
    public double PenaltyWeight { get; set; }

    public Tensor Apply(string node, Tensor input, Tensor activated)
    {
        if (!_index.TryGetValue(node, out int i)) return activated;
        var mask = Masks[i].clamp(0, 1);
        var shape = input.dim() == 4 ? new long[] { 1, -1, 1, 1 } : [1, -1];
        return activated + (input - activated) * (1 - mask.reshape(shape));
    }

    /// <summary>λ · Σ_nodes Σ_c max(m_c, 0)·pixels / all ReLUs; max(m, 0) keeps a mask that crossed 0 there.</summary>
    public Tensor Penalty()
    {
        Tensor? sum = null;
        for (int i = 0; i < Nodes.Count; i++)
        {
            var term = Masks[i].clamp_min(0).sum() * ((double)Nodes[i].PixelsPerChannel / TotalRelus);
            sum = sum is null ? term : sum + term;
        }
        return sum! * PenaltyWeight;
    }

    public double[][] Values() => Masks.Select(TorchTensors.ToDoubles).ToArray();

    /// <summary>Channel-ReLUs × pixels whose mask is above 0.</summary>
    public long ReluCount() => Values().Select((m, i) => m.Count(v => v > 0) * (long)Nodes[i].PixelsPerChannel).Sum();

    /// <summary>
    /// The channels to keep within <paramref name="budget"/>: by mask value, largest first (ties: graph order, then
    /// channel), each taken when its pixels still fit.
    /// </summary>
    public IReadOnlyList<SnlNodeChannels> Binarize(long budget)
    {
        var values = Values();
        var order = values.SelectMany((m, node) => m.Select((v, channel) => (Value: v, Node: node, Channel: channel)))
            .OrderByDescending(c => c.Value).ThenBy(c => c.Node).ThenBy(c => c.Channel);
        var kept = Nodes.Select(_ => new List<int>()).ToArray();
        long used = 0;
        foreach (var c in order)
        {
            long cost = Nodes[c.Node].PixelsPerChannel;
            if (used + cost > budget) continue;
            used += cost;
            kept[c.Node].Add(c.Channel);
        }
        return Nodes.Select((n, i) => n with { KeptChannels = kept[i].Order().ToArray() }).ToArray();
    }

    public void Dispose()
    {
        foreach (var mask in Masks) mask.Dispose();
    }
}
