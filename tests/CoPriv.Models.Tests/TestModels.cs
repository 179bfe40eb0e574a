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
}
