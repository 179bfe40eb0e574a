using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Inference.Tests;

/// <summary>Small graphs exercising the operators the zoo's CIFAR networks leave out.</summary>
internal static class SecureTestModels
{
    /// <summary>
    /// conv 3→6 3×3 → ReLU6 → max-pool 3×3/2 padded 1 → depthwise 3×3 conv → BN → ReLU → 3×3 avg-pool (divisor 9,
    /// not a power of two) → flatten → FC → 4 classes, on 3×10×10.
    /// </summary>
    public static ModelGraph PoolingAndRelu6(ulong seed = 7)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 10, 10));
        string t = b.Add("conv", new Convolution(3, 6, 3, 3, rng.Gaussian(6 * 27, 0.4), rng.Gaussian(6, 0.1),
            padding: Padding2d.Symmetric(1)), "x");
        t = b.Add("relu6", Relu6.Instance, t);
        t = b.Add("maxpool", new MaxPool(3, 2, 1), t);
        t = b.Add("dw", new Convolution(6, 6, 3, 3, rng.Gaussian(6 * 9, 0.4), null, padding: Padding2d.Symmetric(1), groups: 6), t);
        t = b.Add("bn", new BatchNormalization([1.1, 0.9, 1.0, 0.8, 1.2, 1.0], [0.1, 0.0, -0.1, 0.2, 0.0, 0.1],
            [0.0, 0.1, -0.1, 0.0, 0.2, 0.0], [1.0, 1.5, 0.7, 1.2, 0.9, 1.1]), t);
        t = b.Add("relu", Relu.Instance, t);
        t = b.Add("pool", new AveragePool(3, 3, 1, 1), t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(6 * 3 * 3, 4, rng.Gaussian(4 * 54, 0.3), rng.Gaussian(4, 0.1)), t);
        return b.Build("pooling-relu6", "test model", t);
    }

    /// <summary>
    /// Activations larger than one non-linear call (2^16 elements): conv 1×1 3→17 on 64×64 → ReLU (69,632 elements)
    /// → conv 1×1 17→17 → ReLU6 → max-pool 3×3/2 padded 1 → global average pool → flatten → FC → 3 classes.
    /// </summary>
    public static ModelGraph WideActivations(ulong seed = 8)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 64, 64));
        string t = b.Add("conv1", new Convolution(3, 17, 1, 1, rng.Gaussian(17 * 3, 0.5), rng.Gaussian(17, 0.1)), "x");
        t = b.Add("relu", Relu.Instance, t);
        t = b.Add("conv2", new Convolution(17, 17, 1, 1, rng.Gaussian(17 * 17, 0.3), rng.Gaussian(17, 0.1)), t);
        t = b.Add("relu6", Relu6.Instance, t);
        t = b.Add("maxpool", new MaxPool(3, 2, 1), t);
        t = b.Add("pool", GlobalAveragePool.Instance, t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(17, 3, rng.Gaussian(3 * 17, 0.3), rng.Gaussian(3, 0.1)), t);
        return b.Build("wide-activations", "test model", t);
    }

    /// <summary>
    /// The operators whose meaning the zoo's reference checks cannot vouch for, in five layers on 3×8×8: conv 3→8 3×3
    /// → BN → ReLU; conv 8→16 3×3 stride 2 (polyphase under copriv) → BN, added to the ReLU's output through a
    /// zero-padding shortcut at stride 2 → ReLU6 → max-pool 2×2; linear conv 1×1 16→8 → avg-pool 2×2 → flatten → FC
    /// → 10 classes. The linear conv's output has no ReLU before the FC, so its truncation does not know its sign.
    /// </summary>
    public static ModelGraph ShortcutsPoolsAndSignUnknownTruncation(ulong seed = 9)
    {
        var rng = new SeededRandom(seed);
        BatchNormalization Bn(int channels) => new(
            Enumerable.Range(0, channels).Select(_ => rng.NextUniform(0.7, 1.2)).ToArray(), rng.Gaussian(channels, 0.1),
            rng.Gaussian(channels, 0.2), Enumerable.Range(0, channels).Select(_ => rng.NextUniform(0.5, 2.0)).ToArray());
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 8, 8));
        string t = b.Add("conv1", new Convolution(3, 8, 3, 3, rng.Gaussian(8 * 27, 0.3), rng.Gaussian(8, 0.1),
            padding: Padding2d.Symmetric(1)), "x");
        t = b.Add("relu1", Relu.Instance, b.Add("bn1", Bn(8), t));
        string y = b.Add("conv2", new Convolution(8, 16, 3, 3, rng.Gaussian(16 * 72, 0.2), null, 2, 2, Padding2d.Symmetric(1)), t);
        y = b.Add("bn2", Bn(16), y);
        string shortcut = b.Add("shortcut", ZeroPadShortcut.Between(8, 16, 2), t);
        t = b.Add("relu6", Relu6.Instance, b.Add("add", Add.Instance, y, shortcut));
        t = b.Add("maxpool", new MaxPool(2, 2), t);
        t = b.Add("conv3", new Convolution(16, 8, 1, 1, rng.Gaussian(8 * 16, 0.3), rng.Gaussian(8, 0.1)), t);
        t = b.Add("avgpool", new AveragePool(2, 2), t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(8, 10, rng.Gaussian(10 * 8, 0.8), rng.Gaussian(10, 0.1)), t);
        return b.Build("shortcuts-pools-truncation", "test model", t);
    }

    /// <summary>
    /// 2,048 sign-unknown values to truncate: linear conv 3→8 3×3 → conv 1×1 8→4 → flatten, on 3×16×16. Both convs
    /// are linear, so the first one's output (about half of it negative) is truncated without a ReLU before it.
    /// </summary>
    public static ModelGraph ManySignUnknownTruncations(ulong seed = 10)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 16, 16));
        string t = b.Add("conv1", new Convolution(3, 8, 3, 3, rng.Gaussian(8 * 27, 0.5), rng.Gaussian(8, 0.1),
            padding: Padding2d.Symmetric(1)), "x");
        t = b.Add("conv2", new Convolution(8, 4, 1, 1, rng.Gaussian(4 * 8, 0.3), rng.Gaussian(4, 0.1)), t);
        t = b.Add("flatten", Flatten.Instance, t);
        return b.Build("sign-unknown-truncations", "test model", t);
    }
}
