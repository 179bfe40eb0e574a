using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Tests;

/// <summary>Small graphs and seeded inputs shared by the tests.</summary>
internal static class TestModels
{
    public static double[] Gaussian(int count, ulong seed, double sigma = 1.0) =>
        new SeededRandom(seed).Gaussian(count, sigma);

    public static Tensor RandomImage(TensorShape shape, ulong seed) => new(shape, Gaussian(shape.ElementCount, seed));

    /// <summary>conv(3→4, 3×3, grouped-free) → BN → ReLU → avgpool 2 → flatten → FC → 5 classes, on 3×8×8.</summary>
    public static ModelGraph Tiny(ulong seed = 3, bool convBias = true)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 8, 8));
        string t = b.Add("conv", new Convolution(3, 4, 3, 3, rng.Gaussian(4 * 27, 0.3), convBias ? rng.Gaussian(4, 0.1) : null,
            padding: Padding2d.Symmetric(1)), "x");
        t = b.Add("bn", new BatchNormalization([1.0, 0.8, 1.2, 0.9], [0.1, -0.2, 0.0, 0.3], [0.05, -0.1, 0.2, 0.0], [1.5, 0.7, 1.1, 2.0]), t);
        t = b.Add("relu", Relu.Instance, t);
        t = b.Add("pool", new AveragePool(2, 2), t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(64, 5, rng.Gaussian(320, 0.3), rng.Gaussian(5, 0.1)), t);
        return b.Build("tiny", "test model", t);
    }

    /// <summary>
    /// conv(3→4, 3×3) → bias map (N(0, 0.5) per position) → ReLU6 → avgpool 2 → flatten → FC → 5 classes, on 3×8×8:
    /// the smallest model whose result depends on a position-dependent server constant.
    /// </summary>
    public static ModelGraph TinyWithBiasMap(ulong seed = 5)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 8, 8));
        string t = b.Add("conv", new Convolution(3, 4, 3, 3, rng.Gaussian(4 * 27, 0.3), rng.Gaussian(4, 0.1),
            padding: Padding2d.Symmetric(1)), "x");
        t = b.Add("border", new BiasMap(b.ShapeOf(t), rng.Gaussian(4 * 8 * 8, 0.5)), t);
        t = b.Add("relu6", Relu6.Instance, t);
        t = b.Add("pool", new AveragePool(2, 2), t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(64, 5, rng.Gaussian(320, 0.3), rng.Gaussian(5, 0.1)), t);
        return b.Build("tiny-bias-map", "test model", t);
    }

    /// <summary>
    /// One MobileNetV2 inverted-residual block "b1" named as the zoo names it, on <paramref name="inChannels"/>×9×7
    /// (height and width differ so a swap shows): expand 1×1 → BN → ReLU6 (when <paramref name="expansion"/> ≠ 1) →
    /// depthwise 3×3 stride <paramref name="stride"/> padded 1 → BN → ReLU6 → project 1×1 → BN, plus the input when
    /// the stride is 1 and the channels match. Every convolution has a bias and every BatchNorm drawn statistics, so
    /// each folds into something non-trivial. <paramref name="zeroExpandBias"/> makes the expand's bias after its
    /// BatchNorm exactly zero; <paramref name="activations"/>: false builds the block with its ReLU6s left out.
    /// </summary>
    public static ModelGraph InvertedResidualBlock(int inChannels, int expansion, int outChannels, int stride, ulong seed,
        bool zeroExpandBias = false, bool activations = true)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(inChannels, 9, 7));
        string t = AddInvertedResidual(b, rng, "x", "b1", expansion, outChannels, stride, zeroExpandBias, activations);
        return b.Build("inverted-residual", "test model", t);
    }

    /// <summary>
    /// A MobileNetV2 in miniature on 3×8×8: stem conv 3→8 → BN → ReLU6; b1 (t = 1, 8→8, residual); b2 (t = 4, 8→12,
    /// stride 2); b3 (t = 3, 12→12, residual); head conv 1×1 12→16 → BN → ReLU6; global average pool → flatten → FC →
    /// 5 classes. Named as the zoo names its layers, so its blocks can be linearized and merged.
    /// </summary>
    public static ModelGraph MiniMobileNet(ulong seed = 11)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 8, 8));
        string t = b.Add("conv1", new Convolution(3, 8, 3, 3, rng.Gaussian(8 * 27, 0.4), null, padding: Padding2d.Symmetric(1)), "x");
        t = b.Add("relu1", Relu6.Instance, b.Add("bn1", RandomBatchNorm(rng, 8), t));
        t = AddInvertedResidual(b, rng, t, "b1", 1, 8, 1, zeroExpandBias: false, activations: true);
        t = AddInvertedResidual(b, rng, t, "b2", 4, 12, 2, zeroExpandBias: false, activations: true);
        t = AddInvertedResidual(b, rng, t, "b3", 3, 12, 1, zeroExpandBias: false, activations: true);
        t = b.Add("conv2", new Convolution(12, 16, 1, 1, rng.Gaussian(16 * 12, 0.3)), t);
        t = b.Add("relu2", Relu6.Instance, b.Add("bn2", RandomBatchNorm(rng, 16), t));
        t = b.Add("avgpool", GlobalAveragePool.Instance, t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(16, 5, rng.Gaussian(5 * 16, 0.5), rng.Gaussian(5, 0.1)), t);
        return b.Build("mini-mobilenet", "test model", t);
    }

    private static string AddInvertedResidual(GraphBuilder b, SeededRandom rng, string x, string p, int expansion, int outChannels,
        int stride, bool zeroExpandBias, bool activations)
    {
        int inChannels = b.ShapeOf(x).Channels, hidden = inChannels * expansion;
        string Activation(string name, string input) => activations ? b.Add(name, Relu6.Instance, input) : input;
        string y = x;
        if (expansion != 1)
        {
            y = b.Add($"{p}.expand", new Convolution(inChannels, hidden, 1, 1, rng.Gaussian(hidden * inChannels, 0.5),
                zeroExpandBias ? null : rng.Gaussian(hidden, 0.3)), y);
            var bn = RandomBatchNorm(rng, hidden);
            if (zeroExpandBias) bn = new BatchNormalization(bn.Scale, new double[hidden], new double[hidden], bn.Variance);
            y = Activation($"{p}.expand_relu", b.Add($"{p}.expand_bn", bn, y));
        }
        y = b.Add($"{p}.dw", new Convolution(hidden, hidden, 3, 3, rng.Gaussian(hidden * 9, 0.4), rng.Gaussian(hidden, 0.2),
            stride, stride, Padding2d.Symmetric(1), hidden), y);
        y = Activation($"{p}.dw_relu", b.Add($"{p}.dw_bn", RandomBatchNorm(rng, hidden), y));
        y = b.Add($"{p}.project", new Convolution(hidden, outChannels, 1, 1, rng.Gaussian(outChannels * hidden, 0.3),
            rng.Gaussian(outChannels, 0.2)), y);
        y = b.Add($"{p}.project_bn", RandomBatchNorm(rng, outChannels), y);
        return stride == 1 && inChannels == outChannels ? b.Add($"{p}.add", Add.Instance, y, x) : y;
    }

    /// <summary>γ ∈ [0.5, 1.5], β ~ N(0, 0.5), mean ~ N(0, 0.5), variance ∈ [0.5, 2]: a shift far from zero.</summary>
    public static BatchNormalization RandomBatchNorm(SeededRandom rng, int channels) => new(
        Enumerable.Range(0, channels).Select(_ => rng.NextUniform(0.5, 1.5)).ToArray(), rng.Gaussian(channels, 0.5),
        rng.Gaussian(channels, 0.5), Enumerable.Range(0, channels).Select(_ => rng.NextUniform(0.5, 2.0)).ToArray());

    /// <summary>
    /// conv(3→4, 3×3) → BN → ReLU6 on <paramref name="kept6"/> (default channels 0 and 2) → conv(4→4, 3×3) → ReLU on
    /// <paramref name="kept"/> (default channels 1 and 2) → avgpool 2 → flatten → FC → 5 classes, on 3×8×8: partial activations of both kinds
    /// (Selective Network Linearization's channel-wise gates), identity channels carrying negative values onward.
    /// </summary>
    public static ModelGraph TinyWithPartialActivations(ulong seed = 9, bool[]? kept = null, bool[]? kept6 = null)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 8, 8));
        string t = b.Add("conv1", new Convolution(3, 4, 3, 3, rng.Gaussian(4 * 27, 0.3), rng.Gaussian(4, 0.1),
            padding: Padding2d.Symmetric(1)), "x");
        t = b.Add("bn", new BatchNormalization([1.0, 0.8, 1.2, 0.9], [0.1, -0.2, 0.0, 0.3], [0.05, -0.1, 0.2, 0.0], [1.5, 0.7, 1.1, 2.0]), t);
        t = b.Add("relu6", new Relu6(kept6 ?? [true, false, true, false]), t);
        t = b.Add("conv2", new Convolution(4, 4, 3, 3, rng.Gaussian(4 * 36, 0.3), rng.Gaussian(4, 0.1),
            padding: Padding2d.Symmetric(1)), t);
        t = b.Add("relu", new Relu(kept ?? [false, true, true, false]), t);
        t = b.Add("pool", new AveragePool(2, 2), t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(64, 5, rng.Gaussian(320, 0.3), rng.Gaussian(5, 0.1)), t);
        return b.Build("tiny-partial", "test model", t);
    }
}
