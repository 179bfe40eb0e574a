using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// 2-D convolution, optionally grouped (depthwise when groups = in channels = out channels), with an optional bias.
/// Weights are [out channels, in channels / groups, kernel height, kernel width], row-major, as in ONNX.
/// </summary>
public sealed class Convolution : LayerOperator
{
    public Convolution(int inChannels, int outChannels, int kernelHeight, int kernelWidth, double[] weights,
        double[]? bias = null, int strideHeight = 1, int strideWidth = 1, Padding2d padding = default, int groups = 1)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelHeight <= 0 || kernelWidth <= 0)
            throw new ArgumentException($"convolution sizes must be positive: in {inChannels}, out {outChannels}, kernel {kernelHeight}×{kernelWidth}");
        if (strideHeight <= 0 || strideWidth <= 0)
            throw new ArgumentException($"convolution stride must be positive, got {strideHeight}×{strideWidth}");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"groups ({groups}) must divide both in channels ({inChannels}) and out channels ({outChannels})");
        padding.Validate("convolution");
        ArgumentNullException.ThrowIfNull(weights);
        int expected = outChannels * (inChannels / groups) * kernelHeight * kernelWidth;
        if (weights.Length != expected)
            throw new ArgumentException($"convolution weights [{outChannels}, {inChannels / groups}, {kernelHeight}, {kernelWidth}] need {expected} values, got {weights.Length}");
        if (bias is not null && bias.Length != outChannels)
            throw new ArgumentException($"convolution bias needs {outChannels} values, got {bias.Length}");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        Padding = padding;
        Groups = groups;
        Weights = weights;
        Bias = bias;
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int StrideHeight { get; }
    public int StrideWidth { get; }
    public Padding2d Padding { get; }
    public int Groups { get; }

    /// <summary>[out, in / groups, kh, kw], row-major.</summary>
    public double[] Weights { get; }

    /// <summary>One value per output channel, or null.</summary>
    public double[]? Bias { get; }

    public override string Kind => Groups == 1 ? "Conv" : Groups == InChannels && Groups == OutChannels ? "DepthwiseConv" : "GroupConv";

    public override long ParameterCount => Weights.Length + (Bias?.Length ?? 0);

    public ConvolutionGeometry GeometryFor(TensorShape input) => new(
        input.Channels, input.Height, input.Width, OutChannels, KernelHeight, KernelWidth,
        StrideHeight, StrideWidth, Padding, Groups);

    public Convolution WithParameters(double[] weights, double[]? bias) => new(
        InChannels, OutChannels, KernelHeight, KernelWidth, weights, bias, StrideHeight, StrideWidth, Padding, Groups);

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        var input = inputs[0];
        RequireFeatureMap(node, input);
        if (input.Channels != InChannels)
        {
            string weightSide = Groups == 1
                ? $"weight has {InChannels} input channels"
                : $"weight has {InChannels / Groups} input channels per group × {Groups} groups = {InChannels}";
            throw new InvalidModelException($"node '{node}': {weightSide}, input has {input.Channels}");
        }
        int paddedH = input.Height + Padding.Top + Padding.Bottom, paddedW = input.Width + Padding.Left + Padding.Right;
        if (paddedH < KernelHeight || paddedW < KernelWidth)
            throw new InvalidModelException(
                $"node '{node}': kernel {KernelHeight}×{KernelWidth} is larger than the padded input {paddedH}×{paddedW}");
        var g = GeometryFor(input);
        return g.OutputShape;
    }
}
