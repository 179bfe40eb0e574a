using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Zoo;

/// <summary>
/// Gives the seeded weights what training would: plausible BatchNorm running statistics and a classifier whose
/// predictions spread over the classes. With samples, it runs seeded N(0, 1) inputs (what a normalised image looks
/// like to the first layer) through the float graph once and, node by node, sets each BatchNorm's mean and variance
/// to the per-channel statistics of its actual input, perturbed a little as a running average would be, so
/// activations keep a trained network's scale and the fixed-point ring does not overflow; the final fully connected
/// layer is then centred and scaled on its actual input (<see cref="ClassifierCalibration"/>). Without samples it
/// draws statistics (mean ~ N(0, 0.1), variance in [0.5, 2]) and leaves the classifier as drawn: models only used
/// for cost prediction skip the float run.
/// </summary>
public static class ZooCalibration
{
    public static ModelGraph Calibrate(ModelGraph graph, int samples, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return samples == 0 ? DrawStatistics(graph, seed) : MeasureOnCalibrationInputs(graph, samples, seed);
    }

    private static ModelGraph DrawStatistics(ModelGraph graph, ulong seed)
    {
        var nodes = graph.Nodes.Select(node =>
        {
            if (node.Operator is not BatchNormalization bn) return node;
            var rng = SeededRandom.ForPart(seed, node.Name + "/statistics");
            var mean = rng.Gaussian(bn.Channels, 0.1);
            var variance = Enumerable.Range(0, bn.Channels).Select(_ => rng.NextUniform(0.5, 2.0)).ToArray();
            return node.WithOperator(bn.WithStatistics(mean, variance));
        });
        return graph.WithNodes(nodes);
    }

    private static ModelGraph MeasureOnCalibrationInputs(ModelGraph graph, int samples, ulong seed)
    {
        var inputRng = SeededRandom.ForPart(seed, "calibration-inputs");
        var values = Enumerable.Range(0, samples).Select(_ => new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            [graph.InputName] = new Tensor(graph.InputShape, inputRng.Gaussian(graph.InputShape.ElementCount, 1.0)),
        }).ToArray();
        var nodes = new List<Node>(graph.Nodes.Count);
        foreach (var node in graph.Nodes)
        {
            var current = node;
            var measuredInputs = values.Select(v => v[node.Inputs[0]]).ToArray();
            if (node.Operator is BatchNormalization bn)
                current = node.WithOperator(Measured(bn, measuredInputs, SeededRandom.ForPart(seed, node.Name + "/statistics")));
            else if (node.Operator is FullyConnected classifier && node.Output == graph.OutputName)
                current = node.WithOperator(ClassifierCalibration.Calibrate(classifier, measuredInputs));
            var shape = graph.ShapeOf(node.Output);
            foreach (var sample in values)
                sample[node.Output] = FloatKernels.Evaluate(current.Operator, current.Inputs.Select(i => sample[i]).ToArray(), shape);
            nodes.Add(current);
        }
        return graph.WithNodes(nodes);
    }

    private static BatchNormalization Measured(BatchNormalization bn, Tensor[] inputs, SeededRandom rng)
    {
        int channels = bn.Channels, per = inputs[0].Shape.ElementCount / channels;
        var mean = new double[channels];
        var variance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, sumSquares = 0;
            foreach (var t in inputs)
                for (int i = c * per; i < (c + 1) * per; i++)
                {
                    sum += t.Data[i];
                    sumSquares += t.Data[i] * t.Data[i];
                }
            double n = (double)per * inputs.Length;
            double m = sum / n, v = Math.Max(sumSquares / n - m * m, 1e-4);
            variance[c] = v * rng.NextUniform(0.9, 1.1);
            mean[c] = m + 0.05 * Math.Sqrt(v) * rng.NextGaussian();
        }
        return bn.WithStatistics(mean, variance);
    }
}
