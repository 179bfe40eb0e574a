using CoPriv.Models.Graph;

namespace CoPriv.Models.Lowering;

/// <summary>
/// Folds each BatchNorm into the convolution that feeds it when that convolution's output is read by the BatchNorm
/// alone: W'[o] = m_o·W[o], b'_o = m_o·b_o + a_o with m = γ/√(var + ε), a = β − m·mean. The folded convolution keeps
/// its node name and writes the BatchNorm's output tensor. A float-level rewrite: the folded graph computes the same
/// function up to rounding.
/// </summary>
public static class BatchNormFolding
{
    public static ModelGraph Fold(ModelGraph graph)
    {
        var folded = new Dictionary<string, Node>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (node.Operator is not BatchNormalization bn) continue;
            var producer = graph.ProducerOf(node.Inputs[0]);
            if (producer?.Operator is not Convolution conv || graph.ConsumersOf(producer.Output).Count != 1
                || producer.Output == graph.OutputName)
                continue;
            var weights = (double[])conv.Weights.Clone();
            var bias = new double[conv.OutChannels];
            int perChannel = weights.Length / conv.OutChannels;
            for (int o = 0; o < conv.OutChannels; o++)
            {
                double m = bn.Multiplier(o);
                for (int i = o * perChannel; i < (o + 1) * perChannel; i++) weights[i] *= m;
                bias[o] = m * (conv.Bias?[o] ?? 0) + bn.Shift(o);
            }
            folded[producer.Name] = new Node(producer.Name, conv.WithParameters(weights, bias), producer.Inputs, node.Output);
            removed.Add(node.Name);
        }
        var nodes = graph.Nodes.Where(n => !removed.Contains(n.Name)).Select(n => folded.GetValueOrDefault(n.Name, n));
        return graph.WithNodes(nodes);
    }
}
