using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Zoo;

/// <summary>
/// MiniONN's CIFAR-10 network (Liu et al. 2017), as SCI runs it: 3×3 conv 64 (same padding) ×2, 2×2 mean pool,
/// 3×3 conv 64 ×2, 2×2 mean pool, 3×3 conv 64, 1×1 conv 64, 1×1 conv 16, each conv with bias and ReLU, FC 1024→10.
/// </summary>
internal static class MiniOnnCifar
{
    public static ModelGraph Build(ZooOptions options)
    {
        var layers = new SeededLayers(options.Seed);
        int classes = options.Classes ?? 10;
        int c64 = options.Width(64), c16 = options.Width(16);
        var b = new GraphBuilder("image", TensorShape.FeatureMap(3, 32, 32));
        string x = "image";
        int index = 0;
        string ConvRelu(string input, int outC, int kernel)
        {
            string name = $"conv{++index}";
            var conv = layers.Conv(name, b.ShapeOf(input).Channels, outC, kernel, 1, Padding2d.Symmetric(kernel / 2), bias: true);
            return b.Add($"relu{index}", Relu.Instance, b.Add(name, conv, input));
        }
        x = ConvRelu(x, c64, 3);
        x = ConvRelu(x, c64, 3);
        x = b.Add("pool1", new AveragePool(2, 2), x);
        x = ConvRelu(x, c64, 3);
        x = ConvRelu(x, c64, 3);
        x = b.Add("pool2", new AveragePool(2, 2), x);
        x = ConvRelu(x, c64, 3);
        x = ConvRelu(x, c64, 1);
        x = ConvRelu(x, c16, 1);
        x = b.Add("flatten", Flatten.Instance, x);
        x = b.Add("fc", layers.Dense("fc", b.ShapeOf(x)[0], classes), x);
        return b.Build("minionn", "", x);
    }
}
