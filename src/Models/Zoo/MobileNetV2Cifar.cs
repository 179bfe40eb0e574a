using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Zoo;

/// <summary>
/// MobileNetV2 for 32×32 inputs: stem 3×3 conv with stride 1, inverted residual blocks (t, c, n, s) = (1,16,1,1),
/// (6,24,2,1), (6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1) — the CIFAR adaptation runs the stem and
/// the 24-channel stage at stride 1 — with ReLU6, a linear 1×1 projection, identity shortcuts where stride is 1 and
/// channels match, no expansion conv when t = 1, then 1×1 conv to 1280, global average pooling, FC 1280→classes.
/// </summary>
internal static class MobileNetV2Cifar
{
    private static readonly (int Expansion, int Channels, int Repeats, int Stride)[] Stages =
        [(1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    public static ModelGraph Build(ZooOptions options)
    {
        var layers = new SeededLayers(options.Seed);
        int classes = options.Classes ?? 100;
        var b = new GraphBuilder("image", TensorShape.FeatureMap(3, 32, 32));
        int stem = options.Width(32);
        string x = b.Add("conv1", layers.Conv("conv1", 3, stem, 3, 1, Padding2d.Symmetric(1)), "image");
        x = b.Add("bn1", layers.BatchNorm("bn1", stem), x);
        x = b.Add("relu1", Relu6.Instance, x);
        int blockIndex = 0;
        foreach (var (t, c, n, s) in Stages)
            for (int i = 0; i < n; i++)
                x = InvertedResidual(b, layers, x, $"b{++blockIndex}", t, options.Width(c), i == 0 ? s : 1);
        int head = options.Width(1280);
        x = b.Add("conv2", layers.Conv("conv2", b.ShapeOf(x).Channels, head, 1, 1, Padding2d.None), x);
        x = b.Add("bn2", layers.BatchNorm("bn2", head), x);
        x = b.Add("relu2", Relu6.Instance, x);
        x = b.Add("avgpool", GlobalAveragePool.Instance, x);
        x = b.Add("flatten", Flatten.Instance, x);
        x = b.Add("fc", layers.Dense("fc", head, classes), x);
        return b.Build("mobilenetv2", "", x);
    }

    private static string InvertedResidual(GraphBuilder b, SeededLayers layers, string x, string p, int expansion, int outC, int stride)
    {
        int inC = b.ShapeOf(x).Channels, hidden = inC * expansion;
        string y = x;
        if (expansion != 1)
        {
            y = b.Add($"{p}.expand", layers.Conv($"{p}.expand", inC, hidden, 1, 1, Padding2d.None), y);
            y = b.Add($"{p}.expand_bn", layers.BatchNorm($"{p}.expand_bn", hidden), y);
            y = b.Add($"{p}.expand_relu", Relu6.Instance, y);
        }
        y = b.Add($"{p}.dw", layers.Conv($"{p}.dw", hidden, hidden, 3, stride, Padding2d.Symmetric(1), groups: hidden), y);
        y = b.Add($"{p}.dw_bn", layers.BatchNorm($"{p}.dw_bn", hidden), y);
        y = b.Add($"{p}.dw_relu", Relu6.Instance, y);
        y = b.Add($"{p}.project", layers.Conv($"{p}.project", hidden, outC, 1, 1, Padding2d.None), y);
        y = b.Add($"{p}.project_bn", layers.BatchNorm($"{p}.project_bn", outC), y);
        return stride == 1 && inC == outC ? b.Add($"{p}.add", Add.Instance, y, x) : y;
    }
}
