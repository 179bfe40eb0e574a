global using ModelTensor = CoPriv.Models.Tensors.Tensor;
using CoPriv.Models.Graph;
using CoPriv.Models.Inputs;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;
using TorchSharp;

namespace CoPriv.Optimize.Tests;

/// <summary>Small graphs, seeded inputs and gate groups shared by the tests.</summary>
internal static class TestGraphs
{
    public static ZooOptions QuarterWidth { get; } = new(WidthMultiplier: 0.25);

    public static ModelTensor[] RandomImages(TensorShape shape, int count, ulong firstSeed = 100) =>
        Enumerable.Range(0, count).Select(i => InputImages.Random(shape, firstSeed + (ulong)i).Image).ToArray();

    /// <summary>
    /// Every operator the converter knows, in the variants the zoo does not all reach on 32×32 images: asymmetric and
    /// symmetric convolution padding, a grouped convolution, max and average pooling with padding, a zero-padding
    /// shortcut, BatchNorm on a vector, ReLU6, a fully connected layer without bias.
    /// </summary>
    public static ModelGraph EveryOperator(ulong seed = 5)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 9, 9));
        string t = b.Add("conv_same", new Convolution(3, 4, 3, 3, rng.Gaussian(4 * 27, 0.4), rng.Gaussian(4, 0.1),
            2, 2, new Padding2d(0, 0, 1, 1)), "x");
        t = b.Add("bn", Bn(rng, 4), t);
        t = b.Add("relu6", Relu6.Instance, t);
        string shortcut = b.Add("shortcut", new ZeroPadShortcut(1, 2, 2), t);
        string y = b.Add("group_conv", new Convolution(4, 8, 3, 3, rng.Gaussian(8 * 2 * 9, 0.4), null, padding: Padding2d.Symmetric(1), groups: 2), t);
        y = b.Add("add", Add.Instance, y, shortcut);
        y = b.Add("relu", Relu.Instance, y);
        string max = b.Add("maxpool", new MaxPool(3, 3, 2, 2, new Padding2d(1, 0, 1, 2)), y);
        string avg = b.Add("avgpool", new AveragePool(2, 3, 1, 2, new Padding2d(0, 1, 1, 1)), max);
        string gap = b.Add("gap", GlobalAveragePool.Instance, avg);
        t = b.Add("flatten", Flatten.Instance, gap);
        t = b.Add("fc1", new FullyConnected(8, 6, rng.Gaussian(48, 0.5), rng.Gaussian(6, 0.1)), t);
        t = b.Add("fc_bn", Bn(rng, 6), t);
        t = b.Add("fc_relu", Relu.Instance, t);
        t = b.Add("fc2", new FullyConnected(6, 5, rng.Gaussian(30, 0.5)), t);
        return b.Build("every-operator", "test graph", t);
    }

    private static BatchNormalization Bn(SeededRandom rng, int channels) => new(
        Enumerable.Range(0, channels).Select(_ => rng.NextUniform(0.5, 1.5)).ToArray(), rng.Gaussian(channels, 0.2),
        rng.Gaussian(channels, 0.3), Enumerable.Range(0, channels).Select(_ => rng.NextUniform(0.5, 2.0)).ToArray());

    /// <summary>Max |a − b| over two equally long sequences.</summary>
    public static double MaxAbsDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        Assert.Equal(a.Count, b.Count);
        double max = 0;
        for (int i = 0; i < a.Count; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>The float executor's logits for each image, concatenated.</summary>
    public static double[] FloatLogits(ModelGraph graph, IEnumerable<ModelTensor> images) =>
        images.SelectMany(image => Models.Execution.FloatExecutor.Run(graph, image).Data).ToArray();

    /// <summary>The module's logits in eval mode for the same images, concatenated.</summary>
    public static double[] TorchLogits(TorchGraphModule module, IReadOnlyList<ModelTensor> images)
    {
        using var scope = torch.NewDisposeScope();
        module.eval();
        using (torch.no_grad())
            return TorchTensors.ToDoubles(module.forward(TorchTensors.Batch(images, module.DType)));
    }

    /// <summary>
    /// Gate groups by the zoo's node names: "bN.xxx" / "s1b2.xxx" belong to block bN / s1b2; activations without a
    /// prefix are "stem" before the first block and "head" after it. Each group saves <paramref name="bitsPerRelu"/>
    /// per activation element.
    /// </summary>
    public static IReadOnlyList<GateGroup> ZooGateGroups(ModelGraph graph, double bitsPerRelu = 1000)
    {
        var groups = new List<(string Id, List<string> Nodes, long Elements)>();
        bool seenBlock = false;
        foreach (var node in graph.Nodes.Where(n => n.Operator is Relu or Relu6))
        {
            int dot = node.Name.IndexOf('.');
            seenBlock |= dot > 0;
            string id = dot > 0 ? node.Name[..dot] : seenBlock ? "head" : "stem";
            if (groups.Count == 0 || groups[^1].Id != id) groups.Add((id, new List<string>(), 0));
            var last = groups[^1];
            last.Nodes.Add(node.Name);
            groups[^1] = last with { Elements = last.Elements + graph.ShapeOf(node.Output).ElementCount };
        }
        return groups.Select(g => new GateGroup(g.Id, g.Nodes, g.Elements * bitsPerRelu)).ToArray();
    }

    /// <summary>
    /// A small network of four conv–BN–ReLU blocks on 3×8×8 images and 5 classes, whose blocks "b1"…"b4" are gate
    /// groups with the given savings.
    /// </summary>
    public static ModelGraph FourBlocks(ulong seed = 11, int width = 6)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 8, 8));
        string t = "x";
        int channels = 3;
        for (int block = 1; block <= 4; block++)
        {
            t = b.Add($"b{block}.conv", new Convolution(channels, width, 3, 3, rng.Gaussian(width * channels * 9, Math.Sqrt(2.0 / (channels * 9))),
                padding: Padding2d.Symmetric(1)), t);
            t = b.Add($"b{block}.bn", Bn(rng, width), t);
            t = b.Add($"b{block}.relu", Relu.Instance, t);
            channels = width;
        }
        t = b.Add("gap", GlobalAveragePool.Instance, t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(width, 5, rng.Gaussian(5 * width, 0.5), rng.Gaussian(5, 0.1)), t);
        return b.Build("four-blocks", "test graph", t);
    }

    /// <summary>A CIFAR binary batch of random pixels and labels (seeded), <paramref name="records"/> rows long.</summary>
    public static string WriteCifarFile(string directory, CifarDataset dataset, int records, ulong seed = 3)
    {
        var random = new Random(unchecked((int)seed));
        int row = CifarBatchFile.RowBytes(dataset), labels = CifarBatchFile.LabelCount(dataset);
        var bytes = new byte[records * row];
        random.NextBytes(bytes);
        for (int i = 0; i < records; i++)
        {
            if (dataset == CifarDataset.Cifar100) bytes[i * row] = (byte)random.Next(20);
            bytes[i * row + row - CifarBatchFile.PixelBytes - 1] = (byte)random.Next(labels);
        }
        string path = Path.Combine(directory, $"{dataset}-{records}.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
