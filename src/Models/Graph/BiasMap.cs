using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// y = x + B with B a constant [C, H, W] tensor of the server's: a bias that may differ at every position, not only per
/// channel. Block merging (<c>CoPriv.Models.Optimization</c>) needs it because the expand convolution's bias of a
/// merged inverted-residual block reaches a border pixel only through the depthwise taps that fall inside the image;
/// a per-channel bias cannot say that. Securely it is local: the server adds B to its share and the client does
/// nothing, so it costs no communication. B's shape is public, its values are not (like a convolution's weights).
/// In ONNX it is an Add of the activation and a [1, C, H, W] initializer.
/// </summary>
public sealed class BiasMap : LayerOperator
{
    public BiasMap(TensorShape shape, double[] values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        if (!shape.IsFeatureMap)
            throw new ArgumentException($"a bias map is a [channels, height, width] tensor, got shape {shape}");
        if (values.Length != shape.ElementCount)
            throw new ArgumentException($"a bias map of shape {shape} needs {shape.ElementCount} values, got {values.Length}");
        Shape = shape;
        Values = values;
    }

    /// <summary>[C, H, W]: the shape of the input it is added to.</summary>
    public TensorShape Shape { get; }

    /// <summary>B, row-major like the feature map (channel, then row, then column).</summary>
    public double[] Values { get; }

    public override string Kind => "BiasMap";

    public override long ParameterCount => Values.Length;

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        RequireFeatureMap(node, inputs[0]);
        if (inputs[0] != Shape)
            throw new InvalidModelException($"node '{node}': bias map of shape {Shape} cannot be added to an input of shape {inputs[0]}");
        return Shape;
    }
}
