namespace CoPriv.Models.Graph;

/// <summary>
/// Average over each window; padded positions count as zeros and the divisor is always the window size (ONNX
/// count_include_pad = 1), which is what a secure sum-then-divide computes.
/// </summary>
public sealed class AveragePool : Pooling2d
{
    public AveragePool(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding2d padding = default)
        : base(kernelHeight, kernelWidth, strideHeight, strideWidth, padding) { }

    public AveragePool(int kernel, int stride) : this(kernel, kernel, stride, stride) { }

    public override string Kind => "AvgPool";
}
