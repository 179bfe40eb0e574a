using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>Window geometry shared by <see cref="AveragePool"/> and <see cref="MaxPool"/>.</summary>
public abstract class Pooling2d : LayerOperator
{
    private protected Pooling2d(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding2d padding)
    {
        if (kernelHeight <= 0 || kernelWidth <= 0 || strideHeight <= 0 || strideWidth <= 0)
            throw new ArgumentException($"pooling kernel {kernelHeight}×{kernelWidth} and stride {strideHeight}×{strideWidth} must be positive");
        padding.Validate("pooling");
        if (padding.Top >= kernelHeight || padding.Bottom >= kernelHeight || padding.Left >= kernelWidth || padding.Right >= kernelWidth)
            throw new ArgumentException($"pooling padding {padding} must be smaller than the kernel {kernelHeight}×{kernelWidth}");
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        Padding = padding;
    }

    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int StrideHeight { get; }
    public int StrideWidth { get; }
    public Padding2d Padding { get; }

    public int WindowSize => KernelHeight * KernelWidth;

    public int OutHeight(int inHeight) => (inHeight + Padding.Top + Padding.Bottom - KernelHeight) / StrideHeight + 1;
    public int OutWidth(int inWidth) => (inWidth + Padding.Left + Padding.Right - KernelWidth) / StrideWidth + 1;

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        var input = inputs[0];
        RequireFeatureMap(node, input);
        if (input.Height + Padding.Top + Padding.Bottom < KernelHeight || input.Width + Padding.Left + Padding.Right < KernelWidth)
            throw new InvalidModelException($"node '{node}': pooling window {KernelHeight}×{KernelWidth} is larger than the input {input}");
        return TensorShape.FeatureMap(input.Channels, OutHeight(input.Height), OutWidth(input.Width));
    }
}
