using CoPriv.Models.Graph;

namespace CoPriv.Models.Statistics;

/// <summary>
/// Per-layer and total figures of a model (MACs, ReLUs, parameters, output shapes), computed from the public
/// architecture alone; the cost model and reports use them.
/// </summary>
public sealed class ModelStatistics
{
    private ModelStatistics(string model, IReadOnlyList<LayerStatistics> layers)
    {
        Model = model;
        Layers = layers;
    }

    public string Model { get; }
    public IReadOnlyList<LayerStatistics> Layers { get; }

    public long MultiplyAccumulates => Layers.Sum(l => l.MultiplyAccumulates);
    public long ReluCount => Layers.Sum(l => l.ReluCount);
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    /// <summary>Convolution nodes (dense, grouped and depthwise).</summary>
    public int ConvolutionCount => Layers.Count(l => l.Convolution is not null);

    public int FullyConnectedCount => Layers.Count(l => l.Kind == "FC");

    /// <summary>Nodes whose output goes through a ReLU or ReLU6.</summary>
    public int ReluLayerCount => Layers.Count(l => l.ReluCount > 0);

    public static ModelStatistics Of(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var layers = new List<LayerStatistics>(graph.Nodes.Count);
        foreach (var node in graph.Nodes)
        {
            var inputs = graph.InputShapesOf(node);
            var output = graph.ShapeOf(node.Output);
            ConvolutionGeometry? geometry = null;
            long macs = 0, relus = 0;
            switch (node.Operator)
            {
                case Convolution conv:
                    geometry = conv.GeometryFor(inputs[0]);
                    macs = geometry.MultiplyAccumulates;
                    break;
                case FullyConnected fc:
                    macs = fc.MultiplyAccumulates;
                    break;
                case ChannelMaskedActivation activation:
                    relus = activation.KeptElementCount(output);
                    break;
            }
            layers.Add(new LayerStatistics(node.Name, node.Operator.Kind, output, macs, relus, node.Operator.ParameterCount, geometry));
        }
        return new ModelStatistics(graph.Name, layers);
    }
}
