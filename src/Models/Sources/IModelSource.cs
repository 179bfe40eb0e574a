using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Sources;

/// <summary>
/// Where a run's model comes from: a zoo model (<see cref="ZooModel"/>, weights drawn from a seed) or an ONNX file
/// (<see cref="OnnxModel"/>, weights as trained). The server creates the model with its weights; a client needs only
/// the architecture, whose weights are irrelevant to the plan.
/// </summary>
public interface IModelSource
{
    /// <summary>The name the run spec carries: a zoo name, or the path of the model file as given.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>The dataset whose images the model takes ("CIFAR-10", "CIFAR-100", "ImageNet"), or null when unknown.</summary>
    string? Dataset { get; }

    TensorShape InputShape { get; }

    int Classes { get; }

    /// <summary>The model with its weights.</summary>
    /// <exception cref="ArgumentException">The options ask for something the source cannot give (another width of a model file).</exception>
    ModelGraph Create(ZooOptions? options = null);

    /// <summary>The model at <paramref name="width"/> for planning and cost prediction: its weights mean nothing.</summary>
    ModelGraph Architecture(double width = 1.0);
}
