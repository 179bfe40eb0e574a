using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Optimization;

/// <summary>
/// Rewrites every linearized inverted-residual <see cref="ActivationBlock"/> (its ReLU6s removed by
/// <see cref="BlockLinearization"/>) as one dense convolution: with its activations gone, expand 1×1 → BN →
/// depthwise k×k → BN → project 1×1 → BN (+ input) is an affine map, and the dense k×k convolution with the
/// depthwise's stride and padding and weights W[o, c, tap] = Σ_m P[o, m]·D[m, tap]·A[m, c] (+1 on the centre tap of
/// channel o = c when there is a residual) computes it, except at the border. There the depthwise reads the zero
/// padding of the <em>expanded</em> tensor, so the expand bias a[m] misses the taps that fall outside the image; the
/// merged convolution's bias assumes every tap is inside, and a <see cref="BiasMap"/> subtracts
/// Σ_m P[o, m]·a[m]·Σ_{outside taps} D[m, tap] at each border position. It is left out when it is zero everywhere
/// (no expand, as in t = 1 blocks, or a zero expand bias). Run by the server on its own weights, in double precision;
/// the rewritten graph's architecture (a dense convolution, a bias map, a ReLU6) is public like any other.
/// </summary>
public static class InvertedResidualMerging
{
    /// <summary>
    /// <paramref name="graph"/> with each linearized inverted-residual block bN replaced by "bN.merged" (the dense
    /// convolution), "bN.border" (the border's bias map, when not zero) and, when <paramref name="appendRelu6"/>,
    /// "bN.relu" (a ReLU6 on the merged output: the network's one activation per merged block, as the method
    /// prescribes). Without the ReLU6 the result computes exactly what <paramref name="graph"/> does, up to
    /// floating-point rounding. Other blocks are kept as they are; the merged ones keep their id, so
    /// <see cref="ActivationBlocks"/> finds them again, of kind <see cref="ActivationBlockKind.Merged"/>. A linear block
    /// that is not the expected chain is an <see cref="InvalidModelException"/> naming the block.
    /// </summary>
    public static ModelGraph Merge(ModelGraph graph, bool appendRelu6 = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var merged = ActivationBlocks.Of(graph)
            .Where(b => b.IsLinear && b.Kind == ActivationBlockKind.InvertedResidual)
            .ToDictionary(b => b.LinearNodes[0], StringComparer.Ordinal);
        var skipped = merged.Values.SelectMany(b => b.LinearNodes.Skip(1)).ToHashSet(StringComparer.Ordinal);
        var rewiring = new TensorRewiring();
        var nodes = new List<Node>();
        foreach (var node in graph.Nodes)
        {
            if (skipped.Contains(node.Name)) continue;
            if (!merged.TryGetValue(node.Name, out var block))
            {
                nodes.Add(node);
                continue;
            }
            var replacement = Replace(graph, block, appendRelu6);
            nodes.AddRange(replacement);
            rewiring.Replace(block.Output, replacement[^1].Output);
        }
        return rewiring.Apply(graph, nodes);
    }

    private static Node[] Replace(ModelGraph graph, ActivationBlock block, bool appendRelu6)
    {
        var chain = InvertedResidualChain.Read(graph, block);
        var (conv, border) = Compose(chain, graph.ShapeOf(block.Input), block.Id);
        var nodes = new List<Node> { new($"{block.Id}.merged", conv, [block.Input], $"{block.Id}.merged") };
        if (border.Any(v => v != 0))
        {
            var shape = conv.GeometryFor(graph.ShapeOf(block.Input)).OutputShape;
            nodes.Add(new Node($"{block.Id}.border", new BiasMap(shape, border), [nodes[^1].Output], $"{block.Id}.border"));
        }
        if (appendRelu6)
            nodes.Add(new Node($"{block.Id}.relu", Relu6.Instance, [nodes[^1].Output], $"{block.Id}.relu"));
        return nodes.ToArray();
    }

    /// <summary>The dense convolution and the border correction (zero inside the image) of one block.</summary>
    private static (Convolution Conv, double[] Border) Compose(InvertedResidualChain chain, TensorShape input, string id)
    {
        var dw = chain.Depthwise;
        int inC = input.Channels, hidden = dw.Channels, outC = chain.Project.Channels, taps = dw.Taps;
        // Without an expand the depthwise reads the block input itself: A = I, a = 0.
        var expand = chain.Expand ?? AffineConvolution.Identity(inC);
        var a = expand.Bias;

        var weights = new double[outC * inC * taps];
        var bias = new double[outC];
        for (int o = 0; o < outC; o++)
        {
            double sum = chain.Project.Bias[o];
            for (int m = 0; m < hidden; m++)
            {
                double p = chain.Project.Weights[o * hidden + m];
                if (p == 0) continue;
                double tapSum = 0;
                for (int t = 0; t < taps; t++)
                {
                    double pd = p * dw.Weights[m * taps + t];
                    tapSum += dw.Weights[m * taps + t];
                    for (int c = 0; c < inC; c++)
                        weights[(o * inC + c) * taps + t] += pd * expand.Weights[m * inC + c];
                }
                sum += p * (dw.Bias[m] + a[m] * tapSum);
            }
            bias[o] = sum;
        }
        var conv = dw.Operator;
        if (chain.HasResidual)
        {
            if (conv.StrideHeight != 1 || conv.StrideWidth != 1 || inC != outC)
                throw new InvalidModelException(
                    $"block '{id}': a residual needs stride 1 and as many output channels as input channels, got stride {conv.StrideHeight}×{conv.StrideWidth} and {inC}→{outC}");
            // The merged convolution reads input pixel (y + i − top, x + j − left) on tap (i, j): (top, left) is the pixel itself.
            int centre = conv.Padding.Top * conv.KernelWidth + conv.Padding.Left;
            for (int o = 0; o < outC; o++) weights[(o * inC + o) * taps + centre] += 1;
        }

        var dense = new Convolution(inC, outC, conv.KernelHeight, conv.KernelWidth, weights, bias,
            conv.StrideHeight, conv.StrideWidth, conv.Padding);
        return (dense, Border(chain, dense.GeometryFor(input), a));
    }

    /// <summary>B[o, y, x] = −Σ_m P[o, m]·a[m]·Σ_{taps outside the image at (y, x)} D[m, tap].</summary>
    private static double[] Border(InvertedResidualChain chain, ConvolutionGeometry g, double[] expandBias)
    {
        var dw = chain.Depthwise;
        int hidden = dw.Channels, outC = chain.Project.Channels, kh = dw.Operator.KernelHeight, kw = dw.Operator.KernelWidth;
        int outH = g.OutHeight, outW = g.OutWidth;
        var border = new double[outC * outH * outW];
        if (expandBias.All(v => v == 0)) return border;
        var missed = new double[hidden];
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
            {
                Array.Clear(missed);
                bool anyOutside = false;
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                    {
                        int iy = y * g.StrideHeight + i - g.Padding.Top, ix = x * g.StrideWidth + j - g.Padding.Left;
                        if (iy >= 0 && iy < g.InHeight && ix >= 0 && ix < g.InWidth) continue;
                        anyOutside = true;
                        for (int m = 0; m < hidden; m++) missed[m] += dw.Weights[m * kh * kw + i * kw + j];
                    }
                if (!anyOutside) continue;
                for (int m = 0; m < hidden; m++) missed[m] *= expandBias[m];
                for (int o = 0; o < outC; o++)
                {
                    double sum = 0;
                    for (int m = 0; m < hidden; m++) sum += chain.Project.Weights[o * hidden + m] * missed[m];
                    border[(o * outH + y) * outW + x] = -sum;
                }
            }
        return border;
    }
}
