using CoPriv.Models.Tensors;

namespace CoPriv.Models.Inputs;

/// <summary>
/// Per-channel normalisation (pixel / 255 − mean) / std, the preprocessing CIFAR models are trained with. The client
/// applies it to its image before encoding it in fixed point.
/// </summary>
public sealed record ImageNormalization(double[] Mean, double[] StandardDeviation)
{
    /// <summary>CIFAR-10 training-set channel statistics.</summary>
    public static ImageNormalization Cifar10 { get; } = new([0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616]);

    /// <summary>CIFAR-100 training-set channel statistics.</summary>
    public static ImageNormalization Cifar100 { get; } = new([0.5071, 0.4865, 0.4409], [0.2673, 0.2564, 0.2762]);

    /// <summary>A [3, height, width] tensor of normalised values.</summary>
    public Tensor Apply(RgbImage image)
    {
        if (Mean.Length != 3 || StandardDeviation.Length != 3)
            throw new InvalidOperationException("RGB normalisation needs 3 means and 3 standard deviations");
        var tensor = new Tensor(TensorShape.FeatureMap(3, image.Height, image.Width));
        int plane = image.Width * image.Height;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++)
                tensor.Data[c * plane + i] = (image.Planar[c * plane + i] / 255.0 - Mean[c]) / StandardDeviation[c];
        return tensor;
    }
}
