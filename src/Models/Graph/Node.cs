namespace CoPriv.Models.Graph;

/// <summary>One layer of a <see cref="ModelGraph"/>: an operator reading named tensors and writing one named tensor.</summary>
public sealed record Node
{
    public Node(string name, LayerOperator op, IReadOnlyList<string> inputs, string output)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a node needs a name", nameof(name));
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(inputs);
        if (string.IsNullOrWhiteSpace(output)) throw new ArgumentException($"node '{name}' needs an output name", nameof(output));
        Name = name;
        Operator = op;
        Inputs = inputs.ToArray();
        Output = output;
    }

    public string Name { get; }
    public LayerOperator Operator { get; }
    public IReadOnlyList<string> Inputs { get; }
    public string Output { get; }

    public Node WithOperator(LayerOperator op) => new(Name, op, Inputs, Output);

    public override string ToString() => $"{Name}: {Operator.Kind}({string.Join(", ", Inputs)}) → {Output}";
}
