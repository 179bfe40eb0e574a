using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// Builds a <see cref="ModelGraph"/> layer by layer, checking shapes as it goes. Each added node writes a tensor named
/// after the node, and the method returns that name, so a network reads as a chain of calls.
/// </summary>
public sealed class GraphBuilder
{
    private readonly List<Node> _nodes = new();
    private readonly Dictionary<string, TensorShape> _shapes = new(StringComparer.Ordinal);

    public GraphBuilder(string inputName, TensorShape inputShape)
    {
        InputName = inputName;
        InputShape = inputShape;
        _shapes[inputName] = inputShape;
    }

    public string InputName { get; }
    public TensorShape InputShape { get; }

    public TensorShape ShapeOf(string tensor) =>
        _shapes.TryGetValue(tensor, out var s) ? s : throw new ArgumentException($"no tensor '{tensor}' has been added", nameof(tensor));

    /// <summary>Adds a node named <paramref name="name"/> that writes the tensor <paramref name="name"/>.</summary>
    public string Add(string name, LayerOperator op, params string[] inputs)
    {
        if (_shapes.ContainsKey(name))
            throw new InvalidModelException($"a tensor named '{name}' already exists");
        if (inputs.Length != op.InputCount)
            throw new InvalidModelException($"node '{name}': {op.Kind} takes {op.InputCount} input(s), got {inputs.Length}");
        var shapes = inputs.Select(i => _shapes.TryGetValue(i, out var s)
            ? s
            : throw new InvalidModelException($"node '{name}' reads '{i}', which has not been added")).ToArray();
        _shapes[name] = op.InferShape(name, shapes);
        _nodes.Add(new Node(name, op, inputs, name));
        return name;
    }

    public ModelGraph Build(string name, string description, string output) =>
        new(name, description, InputName, InputShape, _nodes, output);
}
