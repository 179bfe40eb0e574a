using CoPriv.Models.Graph;

namespace CoPriv.Models.Optimization;

/// <summary>
/// Folds a linearized head (MobileNetV2's conv2 1×1 → bn2, its ReLU6 removed by <see cref="BlockLinearization"/>) into
/// the classifier. A pointwise convolution commutes with global average pooling — the mean over positions of
/// W·x + b is W·mean(x) + b — so head → pool → flatten → FC equals pool → flatten → FC' with
/// F'[k, c] = Σ_o F[k, o]·W[o, c] and b'[k] = b_k + Σ_o F[k, o]·b[o], exactly (up to floating-point rounding). The
/// head is the most expensive single layer of a MobileNetV2 under both protocols (a 1×1 convolution to 1280
/// channels); after the fold the classifier reads the pooled block output (320 features instead of 1280).
/// </summary>
public static class HeadMerging
{
    /// <summary>
    /// <paramref name="graph"/> with its head folded into the classifier when the head is linear, consists of
    /// pointwise convolutions and BatchNorms only, and is read only by a global average pooling, an optional flatten
    /// and a fully connected layer, each read only by the next; otherwise <paramref name="graph"/> itself, unchanged
    /// (a head with its activation, or of another shape, stays as it is). The classifier keeps its node name.
    /// </summary>
    public static ModelGraph Merge(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var head = ActivationBlocks.Of(graph).FirstOrDefault(b => b.Kind == ActivationBlockKind.Head);
        if (head is not { IsLinear: true } || Compose(graph, head) is not var (weights, bias, inChannels)) return graph;
        if (Single(graph, head.Output) is not { Operator: GlobalAveragePool } pool) return graph;
        var flatten = Single(graph, pool.Output) is { Operator: Flatten } f ? f : null;
        if (Single(graph, (flatten ?? pool).Output) is not { Operator: FullyConnected fc } classifier) return graph;

        int outChannels = bias.Length, classes = fc.OutFeatures;
        var folded = new double[classes * inChannels];
        var foldedBias = new double[classes];
        for (int k = 0; k < classes; k++)
        {
            double sum = fc.Bias?[k] ?? 0;
            for (int o = 0; o < outChannels; o++)
            {
                double w = fc.Weights[k * outChannels + o];
                sum += w * bias[o];
                for (int c = 0; c < inChannels; c++) folded[k * inChannels + c] += w * weights[o * inChannels + c];
            }
            foldedBias[k] = sum;
        }

        var removed = head.LinearNodes.ToHashSet(StringComparer.Ordinal);
        var rewiring = new TensorRewiring();
        rewiring.Replace(head.Output, head.Input);
        var nodes = graph.Nodes.Where(n => !removed.Contains(n.Name))
            .Select(n => n.Name == classifier.Name ? n.WithOperator(new FullyConnected(inChannels, classes, folded, foldedBias)) : n);
        return rewiring.Apply(graph, nodes);
    }

    /// <summary>The head as one affine map [out, in] + bias, or null when it is not a chain of pointwise convolutions and BatchNorms.</summary>
    private static (double[] Weights, double[] Bias, int InChannels)? Compose(ModelGraph graph, ActivationBlock head)
    {
        int inChannels = graph.ShapeOf(head.Input).Channels;
        var current = AffineConvolution.Identity(inChannels);
        string tensor = head.Input;
        foreach (var name in head.LinearNodes)
        {
            var node = graph.NodeNamed(name);
            if (node.Inputs.Count != 1 || node.Inputs[0] != tensor) return null;
            switch (node.Operator)
            {
                case Convolution conv:
                    var next = AffineConvolution.Of(conv);
                    if (!next.IsPointwise || conv.InChannels != current.Channels) return null;
                    current = Compose(current, next);
                    break;
                case BatchNormalization bn:
                    current = current.Then(bn);
                    break;
                default:
                    return null;
            }
            tensor = node.Output;
        }
        return tensor == head.Output ? (current.Weights, current.Bias, inChannels) : null;
    }

    /// <summary><paramref name="second"/> after <paramref name="first"/>, both pointwise: a pointwise convolution.</summary>
    private static AffineConvolution Compose(AffineConvolution first, AffineConvolution second)
    {
        int inC = first.Operator.InChannels, mid = first.Channels, outC = second.Channels;
        var weights = new double[outC * inC];
        var bias = new double[outC];
        for (int o = 0; o < outC; o++)
        {
            double sum = second.Bias[o];
            for (int m = 0; m < mid; m++)
            {
                double w = second.Weights[o * mid + m];
                sum += w * first.Bias[m];
                for (int c = 0; c < inC; c++) weights[o * inC + c] += w * first.Weights[m * inC + c];
            }
            bias[o] = sum;
        }
        return AffineConvolution.Of(new Convolution(inC, outC, 1, 1, weights, bias));
    }

    private static Node? Single(ModelGraph graph, string tensor) =>
        graph.OutputName != tensor && graph.ConsumersOf(tensor) is [var only] && only.Inputs.Count == 1 ? only : null;
}
