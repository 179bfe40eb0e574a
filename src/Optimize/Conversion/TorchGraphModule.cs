using System.Text;
using CoPriv.Models.Graph;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CoPriv.Optimize;

/// <summary>
/// A <see cref="ModelGraph"/> as a trainable libtorch module: every convolution, BatchNorm and fully connected node
/// becomes a registered libtorch module holding the node's weights (BatchNorm with its running statistics, updated in
/// <c>train()</c> mode and used in <c>eval()</c> mode), and the forward pass runs the nodes in the graph's order on a
/// batch ([N, C, H, W] for the graph's [C, H, W]). <see cref="ToGraph"/> turns the current weights back into a graph of
/// the same architecture. Activation nodes (ReLU, ReLU6) can be rewritten by an <see cref="IActivationRewrite"/>,
/// which is how gates and channel masks enter the network without changing it. Server-side only: it holds the weights.
/// </summary>
public sealed class TorchGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly TorchLayer?[] _layers;

    private TorchGraphModule(ModelGraph graph, ScalarType dtype) : base(graph.Name)
    {
        Graph = graph;
        DType = dtype;
        _layers = new TorchLayer?[graph.Nodes.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (node.Operator is Relu or Relu6) continue;
            var layer = TorchLayer.For(graph, node, dtype);
            _layers[i] = layer;
            if (layer.Parameters is { } module) register_module(ModuleName(node.Name, names), module);
        }
        ActivationNodes = graph.Nodes.Where(n => n.Operator is Relu or Relu6).Select(n => n.Name).ToArray();
        _graphMasks = new FixedChannelMasks(graph.Nodes
            .Where(n => n.Operator is ChannelMaskedActivation { KeepsAllChannels: false })
            .Select(n => (n.Name, ((ChannelMaskedActivation)n.Operator).KeptChannels!)));
    }

    /// <summary>The graph's own channel-masked activations (SNL's result): identity on the channels they do not keep.</summary>
    private readonly FixedChannelMasks _graphMasks;

    /// <summary>
    /// The module of <paramref name="graph"/> with its weights, in <paramref name="dtype"/> (float32 to train;
    /// float64 keeps the graph's weights exactly). Fails naming the node when an operator has no counterpart.
    /// </summary>
    public static TorchGraphModule FromGraph(ModelGraph graph, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(graph);
        TorchRuntime.EnsureNativeEnvironment();
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"the module computes in float32 or float64, not {dtype}", nameof(dtype));
        return new TorchGraphModule(graph, dtype);
    }

    /// <summary>The graph the module was made from (its architecture; its weights are the initial ones).</summary>
    public ModelGraph Graph { get; }

    public ScalarType DType { get; }

    /// <summary>The ReLU and ReLU6 nodes, in graph order.</summary>
    public IReadOnlyList<string> ActivationNodes { get; }

    /// <summary>What the activation nodes output; null: σ(x) as in the graph.</summary>
    public IActivationRewrite? ActivationRewrite { get; set; }

    public override Tensor forward(Tensor input) => ForwardAll(input)[Graph.OutputName];

    /// <summary>Every tensor of the graph (the input and each node's output) for a batch.</summary>
    public IReadOnlyDictionary<string, Tensor> ForwardAll(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var expected = Graph.InputShape.Dimensions;
        if (input.dim() != expected.Count + 1 || !input.shape.Skip(1).SequenceEqual(expected.Select(d => (long)d)))
            throw new ArgumentException(
                $"model '{Graph.Name}' takes a batch of shape [N, {string.Join(", ", expected)}], got [{string.Join(", ", input.shape)}]", nameof(input));
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [Graph.InputName] = input };
        for (int i = 0; i < _layers.Length; i++)
        {
            var node = Graph.Nodes[i];
            var inputs = node.Inputs.Select(name => values[name]).ToArray();
            values[node.Output] = _layers[i] is { } layer ? layer.Forward(inputs) : Activate(node, inputs[0]);
        }
        return values;
    }

    /// <summary>The graph with the module's current weights and BatchNorm running statistics.</summary>
    public ModelGraph ToGraph() => Graph.WithNodes(Graph.Nodes.Select((node, i) =>
        _layers[i] is { } layer ? node.WithOperator(layer.ToOperator()) : node));

    private Tensor Activate(Node node, Tensor x)
    {
        var activated = node.Operator is Relu6 ? F.relu6(x) : F.relu(x);
        if (!_graphMasks.IsEmpty) activated = _graphMasks.Apply(node.Name, x, activated);
        return ActivationRewrite?.Apply(node.Name, x, activated) ?? activated;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _graphMasks.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>libtorch forbids '.' in module names (it separates the levels of a parameter's name).</summary>
    private static string ModuleName(string node, HashSet<string> taken)
    {
        var name = new StringBuilder(node.Length);
        foreach (char c in node) name.Append(char.IsLetterOrDigit(c) ? c : '_');
        string candidate = name.ToString();
        for (int k = 2; !taken.Add(candidate); k++) candidate = $"{name}_{k}";
        return candidate;
    }
}
