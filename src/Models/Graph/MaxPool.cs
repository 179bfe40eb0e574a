namespace CoPriv.Models.Graph;

/// <summary>Maximum over each window; padded positions are ignored (they act as −∞, as in ONNX).</summary>
public sealed class MaxPool : Pooling2d
{
    public MaxPool(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding2d padding = default)
        : base(kernelHeight, kernelWidth, strideHeight, strideWidth, padding) { }

    public MaxPool(int kernel, int stride, int padding = 0) : this(kernel, kernel, stride, stride, Padding2d.Symmetric(padding)) { }

    public override string Kind => "MaxPool";
}
