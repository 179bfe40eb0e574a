using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Zoo;

/// <summary>
/// ResNet-50 for ImageNet (224×224, torchvision's "v1.5": the stride sits in the 3×3 conv of each bottleneck):
/// 7×7/2 stem, 3×3/2 max-pool, bottleneck stages of 3, 4, 6, 3 blocks (64–512 planes, expansion 4) with 1×1
/// projection shortcuts, global average pooling, FC 2048→classes.
/// </summary>
internal static class ResNet50ImageNet
{
    public static ModelGraph Build(ZooOptions options)
    {
        var layers = new SeededLayers(options.Seed);
        int classes = options.Classes ?? 1000;
        var b = new GraphBuilder("image", TensorShape.FeatureMap(3, 224, 224));
        int c0 = options.Width(64);
        string x = b.Add("conv1", layers.Conv("conv1", 3, c0, 7, 2, Padding2d.Symmetric(3)), "image");
        x = b.Add("bn1", layers.BatchNorm("bn1", c0), x);
        x = b.Add("relu1", Relu.Instance, x);
        x = b.Add("maxpool", new MaxPool(3, 2, 1), x);
        int[] blocks = [3, 4, 6, 3];
        int[] planes = [64, 128, 256, 512];
        for (int stage = 0; stage < 4; stage++)
            for (int block = 0; block < blocks[stage]; block++)
                x = Bottleneck(b, layers, x, $"s{stage + 1}b{block + 1}", options.Width(planes[stage]), stage > 0 && block == 0 ? 2 : 1);
        x = b.Add("avgpool", GlobalAveragePool.Instance, x);
        x = b.Add("flatten", Flatten.Instance, x);
        x = b.Add("fc", layers.Dense("fc", b.ShapeOf(x)[0], classes), x);
        return b.Build("resnet50", "", x);
    }

    private static string Bottleneck(GraphBuilder b, SeededLayers layers, string x, string p, int width, int stride)
    {
        int inC = b.ShapeOf(x).Channels, outC = width * 4;
        string y = b.Add($"{p}.conv1", layers.Conv($"{p}.conv1", inC, width, 1, 1, Padding2d.None), x);
        y = b.Add($"{p}.bn1", layers.BatchNorm($"{p}.bn1", width), y);
        y = b.Add($"{p}.relu1", Relu.Instance, y);
        y = b.Add($"{p}.conv2", layers.Conv($"{p}.conv2", width, width, 3, stride, Padding2d.Symmetric(1)), y);
        y = b.Add($"{p}.bn2", layers.BatchNorm($"{p}.bn2", width), y);
        y = b.Add($"{p}.relu2", Relu.Instance, y);
        y = b.Add($"{p}.conv3", layers.Conv($"{p}.conv3", width, outC, 1, 1, Padding2d.None), y);
        y = b.Add($"{p}.bn3", layers.BatchNorm($"{p}.bn3", outC), y);
        string shortcut = x;
        if (stride != 1 || inC != outC)
        {
            shortcut = b.Add($"{p}.proj", layers.Conv($"{p}.proj", inC, outC, 1, stride, Padding2d.None), x);
            shortcut = b.Add($"{p}.proj_bn", layers.BatchNorm($"{p}.proj_bn", outC), shortcut);
        }
        y = b.Add($"{p}.add", Add.Instance, y, shortcut);
        return b.Add($"{p}.relu3", Relu.Instance, y);
    }
}
