using CoPriv.Models.Graph;

namespace CoPriv.Models.Optimization;

/// <summary>
/// Removing or replacing nodes leaves their readers pointing at tensors nobody writes any more; this collects which
/// tensor stands for which and rewrites the readers (and the graph output) once, at the end of a pass.
/// </summary>
internal sealed class TensorRewiring
{
    private readonly Dictionary<string, string> _replacements = new(StringComparer.Ordinal);

    /// <summary>From now on, readers of <paramref name="removed"/> read <paramref name="replacement"/>.</summary>
    public void Replace(string removed, string replacement) => _replacements[removed] = replacement;

    public string Resolve(string tensor)
    {
        while (_replacements.TryGetValue(tensor, out var next)) tensor = next;
        return tensor;
    }

    /// <summary>The graph of <paramref name="nodes"/> with every input and the output resolved.</summary>
    public ModelGraph Apply(ModelGraph graph, IEnumerable<Node> nodes) => graph.WithNodes(
        nodes.Select(n => n.Inputs.Any(_replacements.ContainsKey) ? new Node(n.Name, n.Operator, n.Inputs.Select(Resolve).ToArray(), n.Output) : n),
        Resolve(graph.OutputName));
}
