using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Zoo;

/// <summary>
/// The CIFAR ResNets of the zoo: SCI/Delphi's ResNet-32, He et al.'s ResNet-32 and the CIFAR ResNet-18.
/// </summary>
internal static class ResNetCifar
{
    private static readonly TensorShape CifarInput = TensorShape.FeatureMap(3, 32, 32);

    /// <summary>
    /// ResNet-32 exactly as SCI's main_resnet32_cifar runs it: every convolution has a bias and is followed by a
    /// BatchNorm; the first block of each of the 3 stages has a 1×1 projection (conv + bias + BatchNorm, stride 1 in
    /// the first stage, 2 after); stride-2 3×3 convolutions use TensorFlow "SAME" padding (0 top/left, 1
    /// bottom/right); the block order is conv, BN, ReLU, conv, BN, projection conv, projection BN, add, ReLU; then
    /// 8×8 average pooling and FC 64→classes.
    /// </summary>
    public static ModelGraph Sci(ZooOptions options)
    {
        var layers = new SeededLayers(options.Seed);
        int classes = options.Classes ?? 100;
        var b = new GraphBuilder("image", CifarInput);
        int c0 = options.Width(16);
        string x = b.Add("conv1", layers.Conv("conv1", 3, c0, 3, 1, Padding2d.Symmetric(1), bias: true), "image");
        x = b.Add("bn1", layers.BatchNorm("bn1", c0), x);
        x = b.Add("relu1", Relu.Instance, x);
        int[] widths = [options.Width(16), options.Width(32), options.Width(64)];
        for (int stage = 0; stage < 3; stage++)
            for (int block = 0; block < 5; block++)
            {
                string p = $"s{stage + 1}b{block + 1}";
                int inC = b.ShapeOf(x).Channels, outC = widths[stage];
                int stride = stage > 0 && block == 0 ? 2 : 1;
                var samePad = stride == 1 ? Padding2d.Symmetric(1) : new Padding2d(0, 0, 1, 1);
                string y = b.Add($"{p}.conv1", layers.Conv($"{p}.conv1", inC, outC, 3, stride, samePad, bias: true), x);
                y = b.Add($"{p}.bn1", layers.BatchNorm($"{p}.bn1", outC), y);
                y = b.Add($"{p}.relu1", Relu.Instance, y);
                y = b.Add($"{p}.conv2", layers.Conv($"{p}.conv2", outC, outC, 3, 1, Padding2d.Symmetric(1), bias: true), y);
                y = b.Add($"{p}.bn2", layers.BatchNorm($"{p}.bn2", outC), y);
                string shortcut = x;
                if (block == 0)
                {
                    shortcut = b.Add($"{p}.proj", layers.Conv($"{p}.proj", inC, outC, 1, stride, Padding2d.None, bias: true), x);
                    shortcut = b.Add($"{p}.proj_bn", layers.BatchNorm($"{p}.proj_bn", outC), shortcut);
                }
                y = b.Add($"{p}.add", Add.Instance, y, shortcut);
                x = b.Add($"{p}.relu2", Relu.Instance, y);
            }
        x = b.Add("avgpool", new AveragePool(8, 8), x);
        x = b.Add("flatten", Flatten.Instance, x);
        x = b.Add("fc", layers.Dense("fc", b.ShapeOf(x)[0], classes), x);
        return b.Build("resnet32-sci", "", x);
    }

    /// <summary>
    /// He et al.'s CIFAR ResNet-32 (6n + 2 with n = 5): bias-free convolutions, parameter-free "option A" shortcuts
    /// (stride-2 subsample + zero channels) where the shape changes, global average pooling, FC 64→classes.
    /// </summary>
    public static ModelGraph HeEtAl(ZooOptions options)
    {
        var layers = new SeededLayers(options.Seed);
        int classes = options.Classes ?? 100;
        var b = new GraphBuilder("image", CifarInput);
        int c0 = options.Width(16);
        string x = b.Add("conv1", layers.Conv("conv1", 3, c0, 3, 1, Padding2d.Symmetric(1)), "image");
        x = b.Add("bn1", layers.BatchNorm("bn1", c0), x);
        x = b.Add("relu1", Relu.Instance, x);
        int[] widths = [options.Width(16), options.Width(32), options.Width(64)];
        for (int stage = 0; stage < 3; stage++)
            for (int block = 0; block < 5; block++)
                x = BasicBlock(b, layers, x, $"s{stage + 1}b{block + 1}", widths[stage], stage > 0 && block == 0 ? 2 : 1, projection: false);
        x = b.Add("avgpool", GlobalAveragePool.Instance, x);
        x = b.Add("flatten", Flatten.Instance, x);
        x = b.Add("fc", layers.Dense("fc", b.ShapeOf(x)[0], classes), x);
        return b.Build("resnet32", "", x);
    }

    /// <summary>
    /// ResNet-18 adapted to 32×32 inputs: 3×3 stem without max-pooling, 4 stages of 2 basic blocks with 64/128/256/512
    /// channels, 1×1 conv + BatchNorm projections where the shape changes, global average pooling, FC 512→classes.
    /// </summary>
    public static ModelGraph ResNet18(ZooOptions options)
    {
        var layers = new SeededLayers(options.Seed);
        int classes = options.Classes ?? 100;
        var b = new GraphBuilder("image", CifarInput);
        int c0 = options.Width(64);
        string x = b.Add("conv1", layers.Conv("conv1", 3, c0, 3, 1, Padding2d.Symmetric(1)), "image");
        x = b.Add("bn1", layers.BatchNorm("bn1", c0), x);
        x = b.Add("relu1", Relu.Instance, x);
        int[] widths = [options.Width(64), options.Width(128), options.Width(256), options.Width(512)];
        for (int stage = 0; stage < 4; stage++)
            for (int block = 0; block < 2; block++)
                x = BasicBlock(b, layers, x, $"s{stage + 1}b{block + 1}", widths[stage], stage > 0 && block == 0 ? 2 : 1, projection: true);
        x = b.Add("avgpool", GlobalAveragePool.Instance, x);
        x = b.Add("flatten", Flatten.Instance, x);
        x = b.Add("fc", layers.Dense("fc", b.ShapeOf(x)[0], classes), x);
        return b.Build("resnet18", "", x);
    }

    /// <summary>conv3×3(stride)–BN–ReLU–conv3×3–BN, plus the shortcut (1×1 projection or option-A zero padding when the shape changes), add, ReLU.</summary>
    private static string BasicBlock(GraphBuilder b, SeededLayers layers, string x, string p, int outC, int stride, bool projection)
    {
        int inC = b.ShapeOf(x).Channels;
        string y = b.Add($"{p}.conv1", layers.Conv($"{p}.conv1", inC, outC, 3, stride, Padding2d.Symmetric(1)), x);
        y = b.Add($"{p}.bn1", layers.BatchNorm($"{p}.bn1", outC), y);
        y = b.Add($"{p}.relu1", Relu.Instance, y);
        y = b.Add($"{p}.conv2", layers.Conv($"{p}.conv2", outC, outC, 3, 1, Padding2d.Symmetric(1)), y);
        y = b.Add($"{p}.bn2", layers.BatchNorm($"{p}.bn2", outC), y);
        string shortcut = x;
        if (stride != 1 || inC != outC)
        {
            if (projection)
            {
                shortcut = b.Add($"{p}.proj", layers.Conv($"{p}.proj", inC, outC, 1, stride, Padding2d.None), x);
                shortcut = b.Add($"{p}.proj_bn", layers.BatchNorm($"{p}.proj_bn", outC), shortcut);
            }
            else
            {
                shortcut = b.Add($"{p}.shortcut", ZeroPadShortcut.Between(inC, outC, stride), x);
            }
        }
        y = b.Add($"{p}.add", Add.Instance, y, shortcut);
        return b.Add($"{p}.relu2", Relu.Instance, y);
    }
}
