using CoPriv.Models.Graph;

namespace CoPriv.Models.Optimization;

/// <summary>
/// Splits a graph into its <see cref="ActivationBlock"/>s by the zoo's node naming, then checks each block's
/// structure. A node named "&lt;block&gt;.&lt;layer&gt;" belongs to the block before the first dot (MobileNetV2's "b5.dw",
/// ResNet's "s2b1.conv1"); a block's nodes must be consecutive. The unprefixed nodes before the first block are the
/// stem, those after the last block up to the first pooling or flatten are the head (MobileNetV2's conv2/bn2/relu2;
/// the ResNets have none), and the rest is the classifier, which has no activation. Naming rather than pattern
/// matching, because it is what makes a block's id stable across linearizing and merging and readable in reports;
/// ONNX files exported by CoPriv keep the names. A graph named otherwise (an activation in no block, a block split
/// in two, a block with two inputs or outputs) is refused with an <see cref="InvalidModelException"/> saying which.
/// </summary>
public static class ActivationBlocks
{
    public const string StemId = "stem";
    public const string HeadId = "head";

    /// <summary>The blocks of <paramref name="graph"/>, in graph order.</summary>
    public static IReadOnlyList<ActivationBlock> Of(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var groups = new List<(string Id, List<Node> Nodes)>();
        int firstPrefixed = -1, lastPrefixed = -1;
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            if (PrefixOf(graph.Nodes[i]) is null) continue;
            if (firstPrefixed < 0) firstPrefixed = i;
            lastPrefixed = i;
        }
        if (firstPrefixed < 0)
            throw new InvalidModelException(
                $"model '{graph.Name}' cannot be split into activation blocks: no node is named '<block>.<layer>' as the zoo's blocks are");
        int classifier = lastPrefixed + 1;
        while (classifier < graph.Nodes.Count && graph.Nodes[classifier].Operator is not (GlobalAveragePool or AveragePool or MaxPool or Flatten))
            classifier++;

        if (firstPrefixed > 0) groups.Add((StemId, graph.Nodes.Take(firstPrefixed).ToList()));
        for (int i = firstPrefixed; i <= lastPrefixed; i++)
        {
            var node = graph.Nodes[i];
            string id = PrefixOf(node)
                ?? throw new InvalidModelException(
                    $"model '{graph.Name}': node '{node.Name}' lies between blocks but belongs to none (block nodes are named '<block>.<layer>')");
            if (groups.Count > 0 && groups[^1].Id == id) groups[^1].Nodes.Add(node);
            else if (groups.Any(g => g.Id == id))
                throw new InvalidModelException($"model '{graph.Name}': the nodes of block '{id}' are not consecutive (node '{node.Name}')");
            else groups.Add((id, [node]));
        }
        if (classifier > lastPrefixed + 1) groups.Add((HeadId, graph.Nodes.Skip(lastPrefixed + 1).Take(classifier - lastPrefixed - 1).ToList()));
        var activationAfterHead = graph.Nodes.Skip(classifier).FirstOrDefault(IsActivation);
        if (activationAfterHead is not null)
            throw new InvalidModelException(
                $"model '{graph.Name}': activation node '{activationAfterHead.Name}' follows the pooling, in no block");

        return groups.Select((g, index) => Describe(graph, g.Id, g.Nodes, index == 0 && g.Id == StemId)).ToArray();
    }

    /// <summary>The block named <paramref name="id"/>, or an <see cref="ArgumentException"/> listing the ids there are.</summary>
    public static ActivationBlock Named(IReadOnlyList<ActivationBlock> blocks, string id) =>
        blocks.FirstOrDefault(b => b.Id == id)
        ?? throw new ArgumentException($"no activation block '{id}'; the blocks are {string.Join(", ", blocks.Select(b => b.Id))}", nameof(id));

    internal static bool IsActivation(Node node) => node.Operator is Relu or Relu6;

    internal static bool IsDepthwise(Convolution conv) => conv.Groups > 1 && conv.Groups == conv.InChannels && conv.Groups == conv.OutChannels;

    private static string? PrefixOf(Node node)
    {
        int dot = node.Name.IndexOf('.');
        return dot > 0 ? node.Name[..dot] : null;
    }

    private static ActivationBlock Describe(ModelGraph graph, string id, List<Node> nodes, bool isStem)
    {
        var produced = nodes.Select(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var members = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = nodes.SelectMany(n => n.Inputs).Where(t => !produced.Contains(t)).Distinct().ToArray();
        var outputs = nodes.Select(n => n.Output)
            .Where(t => t == graph.OutputName || graph.ConsumersOf(t).Any(c => !members.Contains(c.Name))).ToArray();
        if (inputs.Length != 1)
            throw new InvalidModelException($"model '{graph.Name}': block '{id}' reads {inputs.Length} tensors from outside ({string.Join(", ", inputs)}); a block reads one");
        if (outputs.Length != 1)
            throw new InvalidModelException($"model '{graph.Name}': block '{id}' is read outside through {outputs.Length} tensors ({string.Join(", ", outputs)}); a block has one output");
        bool residual = nodes.Any(n => n.Operator is Add);
        var convolutions = nodes.Select(n => n.Operator).OfType<Convolution>().ToArray();
        var kind = id == HeadId ? ActivationBlockKind.Head
            : isStem ? ActivationBlockKind.Stem
            : convolutions.Any(IsDepthwise) ? ActivationBlockKind.InvertedResidual
            : convolutions.Length == 1 ? ActivationBlockKind.Merged
            : ActivationBlockKind.BasicBlock;
        return new ActivationBlock(id, kind,
            nodes.Where(IsActivation).Select(n => n.Name).ToArray(),
            nodes.Where(n => !IsActivation(n)).Select(n => n.Name).ToArray(),
            inputs[0], outputs[0], residual);
    }
}
