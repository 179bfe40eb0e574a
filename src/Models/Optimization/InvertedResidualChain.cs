using CoPriv.Models.Graph;

namespace CoPriv.Models.Optimization;

/// <summary>
/// The layers of one linearized inverted-residual block, read off the graph and checked: an optional expand 1×1,
/// a depthwise k×k, a project 1×1, each followed by any number of BatchNorms (folded here), and an optional Add of the
/// block's input at the end. Each node reads the one before it.
/// </summary>
internal sealed record InvertedResidualChain(AffineConvolution? Expand, AffineConvolution Depthwise, AffineConvolution Project, bool HasResidual)
{
    private const string Expected = "[expand 1×1 → BN →] depthwise k×k → BN → project 1×1 → BN [→ Add of the block input]";

    public static InvertedResidualChain Read(ModelGraph graph, ActivationBlock block)
    {
        string current = block.Input;
        var convolutions = new List<AffineConvolution>();
        bool residual = false;
        foreach (var name in block.LinearNodes)
        {
            var node = graph.NodeNamed(name);
            bool readsChain = node.Inputs[0] == current;
            switch (node.Operator)
            {
                case Convolution conv when readsChain && !residual:
                    convolutions.Add(AffineConvolution.Of(conv));
                    break;
                case BatchNormalization bn when readsChain && !residual && convolutions.Count > 0:
                    convolutions[^1] = convolutions[^1].Then(bn);
                    break;
                case Add when !residual && node.Inputs.OrderBy(t => t, StringComparer.Ordinal)
                        .SequenceEqual(new[] { current, block.Input }.OrderBy(t => t, StringComparer.Ordinal)):
                    residual = true;
                    break;
                default:
                    throw new InvalidModelException(
                        $"block '{block.Id}' cannot be merged: node '{node.Name}' ({node.Operator.Kind} of {string.Join(", ", node.Inputs)}) does not continue the chain {Expected}");
            }
            current = node.Output;
        }
        if (current != block.Output)
            throw new InvalidModelException($"block '{block.Id}' cannot be merged: its chain ends in '{current}' but the graph reads '{block.Output}'");
        return convolutions switch
        {
            [{ IsPointwise: true } expand, { IsDepthwise: true } dw, { IsPointwise: true } project] => new(expand, dw, project, residual),
            [{ IsDepthwise: true } dw, { IsPointwise: true } project] => new(null, dw, project, residual),
            _ => throw new InvalidModelException(
                $"block '{block.Id}' cannot be merged: its convolutions are {string.Join(" → ", convolutions.Select(Describe))}, expected {Expected}"),
        };
    }

    private static string Describe(AffineConvolution c) =>
        $"{c.Operator.Kind} {c.Operator.KernelHeight}×{c.Operator.KernelWidth}/{c.Operator.StrideHeight}";
}
