using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Statistics;

/// <summary>
/// The public cost-relevant figures of one node: output shape, multiply-accumulates (convolutions and fully
/// connected layers), ReLU count (elements through a ReLU or ReLU6: the kept channels' only) and trainable parameter count. For a convolution
/// <see cref="Convolution"/> carries the geometry the cost model needs.
/// </summary>
public sealed record LayerStatistics(
    string Node,
    string Kind,
    TensorShape OutputShape,
    long MultiplyAccumulates,
    long ReluCount,
    long ParameterCount,
    ConvolutionGeometry? Convolution);
