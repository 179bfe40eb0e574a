using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// A neural network as a list of nodes in topological order, from one input tensor (the client's image) to one
/// output tensor (the logits). Construction validates the graph (unique names, every input produced earlier, operator
/// arity) and infers every tensor's shape; errors name the node. Immutable. The server holds the full graph with its
/// weights; the architecture (operators, shapes) is public to both parties.
/// </summary>
public sealed class ModelGraph
{
    private readonly Dictionary<string, TensorShape> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Node>> _consumers = new(StringComparer.Ordinal);

    public ModelGraph(string name, string description, string inputName, TensorShape inputShape,
        IEnumerable<Node> nodes, string outputName)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a model needs a name", nameof(name));
        if (string.IsNullOrWhiteSpace(inputName)) throw new ArgumentException("the model input needs a name", nameof(inputName));
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(nodes);
        Name = name;
        Description = description ?? "";
        InputName = inputName;
        InputShape = inputShape;
        Nodes = nodes.ToArray();
        OutputName = outputName;

        _shapes[inputName] = inputShape;
        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Nodes)
        {
            if (!nodeNames.Add(node.Name))
                throw new InvalidModelException($"two nodes are named '{node.Name}'");
            if (node.Inputs.Count != node.Operator.InputCount)
                throw new InvalidModelException(
                    $"node '{node.Name}': {node.Operator.Kind} takes {node.Operator.InputCount} input(s), got {node.Inputs.Count}");
            var inputShapes = new TensorShape[node.Inputs.Count];
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                if (!_shapes.TryGetValue(node.Inputs[i], out var shape))
                    throw new InvalidModelException(
                        $"node '{node.Name}' reads '{node.Inputs[i]}', which neither the model input nor an earlier node produces (nodes must be in topological order)");
                inputShapes[i] = shape;
                if (!_consumers.TryGetValue(node.Inputs[i], out var list)) _consumers[node.Inputs[i]] = list = new List<Node>();
                list.Add(node);
            }
            if (_shapes.ContainsKey(node.Output))
                throw new InvalidModelException($"node '{node.Name}' writes '{node.Output}', which is already defined");
            _shapes[node.Output] = node.Operator.InferShape(node.Name, inputShapes);
            _producers[node.Output] = node;
        }
        if (!_shapes.ContainsKey(outputName))
            throw new InvalidModelException($"the model output '{outputName}' is produced by no node");
    }

    public string Name { get; }

    /// <summary>One line saying which model (and which variant of it) this is.</summary>
    public string Description { get; }

    public string InputName { get; }
    public TensorShape InputShape { get; }
    public IReadOnlyList<Node> Nodes { get; }
    public string OutputName { get; }
    public TensorShape OutputShape => _shapes[OutputName];

    /// <summary>The shape of a named tensor (the input or any node's output).</summary>
    public TensorShape ShapeOf(string tensor) =>
        _shapes.TryGetValue(tensor, out var s) ? s : throw new ArgumentException($"model '{Name}' has no tensor '{tensor}'", nameof(tensor));

    /// <summary>The node writing <paramref name="tensor"/>, or null for the model input.</summary>
    public Node? ProducerOf(string tensor) => _producers.GetValueOrDefault(tensor);

    /// <summary>The nodes reading <paramref name="tensor"/>, in graph order.</summary>
    public IReadOnlyList<Node> ConsumersOf(string tensor) =>
        _consumers.TryGetValue(tensor, out var list) ? list : Array.Empty<Node>();

    public Node NodeNamed(string name) =>
        Nodes.FirstOrDefault(n => n.Name == name) ?? throw new ArgumentException($"model '{Name}' has no node '{name}'", nameof(name));

    /// <summary>The input shapes of a node, in order.</summary>
    public TensorShape[] InputShapesOf(Node node) => node.Inputs.Select(ShapeOf).ToArray();

    /// <summary>A copy with other nodes (validated again); name, description, input and output stay.</summary>
    public ModelGraph WithNodes(IEnumerable<Node> nodes, string? outputName = null) =>
        new(Name, Description, InputName, InputShape, nodes, outputName ?? OutputName);

    public ModelGraph WithDescription(string name, string description) =>
        new(name, description, InputName, InputShape, Nodes, OutputName);
}
