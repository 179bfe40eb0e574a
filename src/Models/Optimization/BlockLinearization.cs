using CoPriv.Models.Graph;

namespace CoPriv.Models.Optimization;

/// <summary>
/// Removes the activations of chosen <see cref="ActivationBlock"/>s: the float graph a pruned network computes once
/// its gates have closed (each removed ReLU or ReLU6 becomes the identity). Run by the server, which owns the model;
/// the result is what <see cref="InvertedResidualMerging"/> then rewrites.
/// </summary>
public static class BlockLinearization
{
    /// <summary>
    /// <paramref name="graph"/> without the activation nodes of the blocks named in <paramref name="blockIds"/>;
    /// readers of a removed activation read its input. An unknown id is an <see cref="ArgumentException"/> listing
    /// the blocks there are.
    /// </summary>
    public static ModelGraph Linearize(ModelGraph graph, IEnumerable<string> blockIds)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(blockIds);
        var blocks = ActivationBlocks.Of(graph);
        return RemoveActivations(graph, blockIds.SelectMany(id => ActivationBlocks.Named(blocks, id).ActivationNodes));
    }

    /// <summary>
    /// <paramref name="graph"/> without the named ReLU/ReLU6 nodes, whatever block they are in: readers of a removed
    /// activation read its input. A node that is not an activation is an <see cref="ArgumentException"/>.
    /// </summary>
    public static ModelGraph RemoveActivations(ModelGraph graph, IEnumerable<string> activationNodes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(activationNodes);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in activationNodes)
        {
            var node = graph.NodeNamed(name);
            if (!ActivationBlocks.IsActivation(node))
                throw new ArgumentException($"node '{name}' is a {node.Operator.Kind}, not an activation; only ReLU and ReLU6 nodes can be linearized");
            removed.Add(name);
        }
        var rewiring = new TensorRewiring();
        foreach (var node in graph.Nodes.Where(n => removed.Contains(n.Name)))
            rewiring.Replace(node.Output, node.Inputs[0]);
        return rewiring.Apply(graph, graph.Nodes.Where(n => !removed.Contains(n.Name)));
    }

    /// <summary>
    /// The network a gate selection leaves: the blocks named in <paramref name="blockIds"/> linearized, then every
    /// linearized inverted-residual block merged into one dense convolution (<see cref="InvertedResidualMerging"/>,
    /// with its ReLU6 when <paramref name="appendRelu6"/>) and a linearized head folded into the classifier
    /// (<see cref="HeadMerging"/>). Other linearized blocks (the stem, a ResNet block) stay linearized, unmerged.
    /// </summary>
    public static ModelGraph LinearizeAndMerge(ModelGraph graph, IEnumerable<string> blockIds, bool appendRelu6 = true) =>
        HeadMerging.Merge(InvertedResidualMerging.Merge(Linearize(graph, blockIds), appendRelu6));
}
