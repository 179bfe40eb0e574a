using CoPriv.Models.Graph;

namespace CoPriv.Optimize;

/// <summary>
/// Removes activation nodes from a graph: every reader of a removed node's output reads the node's input instead (a
/// linearized ReLU is the identity). A plain fallback for checking an optimization's result; the exact graph passes of
/// network optimization (merging the linear layers a removal leaves adjacent) live in CoPriv.Models.
/// </summary>
public static class GraphLinearization
{
    public static ModelGraph RemoveActivations(ModelGraph graph, IEnumerable<string> activationNodes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(activationNodes);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in activationNodes)
        {
            var node = graph.NodeNamed(name);
            if (node.Operator is not (Relu or Relu6))
                throw new ArgumentException($"node '{name}' is a {node.Operator.Kind}, not an activation; only ReLU and ReLU6 nodes can be linearized");
            removed.Add(name);
        }
        var replacement = new Dictionary<string, string>(StringComparer.Ordinal);
        string Resolve(string tensor) => replacement.GetValueOrDefault(tensor, tensor);
        var nodes = new List<Node>();
        foreach (var node in graph.Nodes)
        {
            if (removed.Contains(node.Name))
                replacement[node.Output] = Resolve(node.Inputs[0]);
            else
                nodes.Add(new Node(node.Name, node.Operator, node.Inputs.Select(Resolve).ToArray(), node.Output));
        }
        return graph.WithNodes(nodes, Resolve(graph.OutputName));
    }
}
