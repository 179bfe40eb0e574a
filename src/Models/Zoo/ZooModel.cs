using CoPriv.Models.Graph;
using CoPriv.Models.Sources;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Zoo;

/// <summary>One model of the zoo: its name, a one-line description of which variant it is, its dataset and input.</summary>
public sealed class ZooModel : IModelSource
{
    private readonly Func<ZooOptions, ModelGraph> _build;

    internal ZooModel(string name, string description, string dataset, TensorShape inputShape, int classes,
        int defaultCalibrationSamples, Func<ZooOptions, ModelGraph> build)
    {
        Name = name;
        Description = description;
        Dataset = dataset;
        InputShape = inputShape;
        Classes = classes;
        DefaultCalibrationSamples = defaultCalibrationSamples;
        _build = build;
    }

    public string Name { get; }
    public string Description { get; }
    public string Dataset { get; }
    public TensorShape InputShape { get; }
    public int Classes { get; }

    /// <summary>Seeded inputs used to set BatchNorm statistics and centre the classifier unless the options say otherwise (0 for models only used for cost prediction).</summary>
    public int DefaultCalibrationSamples { get; }

    /// <summary>Builds the model with seeded weights (deterministic for given options).</summary>
    public ModelGraph Create(ZooOptions? options = null)
    {
        options ??= ZooOptions.Default;
        var graph = _build(options);
        graph = ZooCalibration.Calibrate(graph, options.CalibrationSamples ?? DefaultCalibrationSamples, options.Seed);
        string description = options.WidthMultiplier == 1.0 ? Description : $"{Description} Width × {options.WidthMultiplier}.";
        string name = options.WidthMultiplier == 1.0 ? Name : $"{Name}-w{options.WidthMultiplier}";
        return graph.WithDescription(name, description);
    }

    /// <summary>The model at <paramref name="width"/> without calibration: drawn weights, enough for planning and cost prediction.</summary>
    public ModelGraph Architecture(double width = 1.0) => Create(new ZooOptions(WidthMultiplier: width, CalibrationSamples: 0));
}
