using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Tests;

public class FloatExecutorTests
{
    /// <summary>The convolution straight from its definition, as an independent oracle.</summary>
    private static double NaiveConv(Convolution conv, Tensor x, int o, int oy, int ox)
    {
        int perGroupIn = conv.InChannels / conv.Groups, group = o / (conv.OutChannels / conv.Groups);
        double sum = conv.Bias?[o] ?? 0;
        for (int ci = 0; ci < perGroupIn; ci++)
        for (int u = 0; u < conv.KernelHeight; u++)
        for (int v = 0; v < conv.KernelWidth; v++)
        {
            int iy = oy * conv.StrideHeight - conv.Padding.Top + u, ix = ox * conv.StrideWidth - conv.Padding.Left + v;
            if (iy < 0 || ix < 0 || iy >= x.Shape.Height || ix >= x.Shape.Width) continue;
            sum += conv.Weights[((o * perGroupIn + ci) * conv.KernelHeight + u) * conv.KernelWidth + v] * x[group * perGroupIn + ci, iy, ix];
        }
        return sum;
    }

    [Theory]
    [InlineData(4, 6, 3, 1, 1, 1, 1, 1)]   // plain 3×3
    [InlineData(4, 6, 3, 2, 0, 0, 1, 1)]   // stride 2, TF SAME (bottom/right) padding
    [InlineData(6, 6, 3, 1, 1, 1, 1, 6)]   // depthwise
    [InlineData(4, 8, 3, 2, 1, 2, 0, 2)]   // grouped, stride 2, asymmetric
    [InlineData(5, 3, 1, 2, 0, 0, 0, 1)]   // 1×1 stride 2 projection
    public void Convolution_MatchesItsDefinition(int inC, int outC, int k, int stride, int top, int left, int bottomRight, int groups)
    {
        var conv = new Convolution(inC, outC, k, k, TestModels.Gaussian(outC * inC / groups * k * k, 1), TestModels.Gaussian(outC, 2),
            stride, stride, new Padding2d(top, left, bottomRight, bottomRight), groups);
        var x = TestModels.RandomImage(TensorShape.FeatureMap(inC, 7, 9), 3);
        var y = FloatKernels.Convolve(conv, x);
        for (int o = 0; o < outC; o++)
        for (int oy = 0; oy < y.Shape.Height; oy++)
        for (int ox = 0; ox < y.Shape.Width; ox++)
            Assert.Equal(NaiveConv(conv, x, o, oy, ox), y[o, oy, ox], 1e-9);
    }

    [Fact]
    public void Pools_Relu6_AndZeroPadShortcut_ComputeWhatTheyPromise()
    {
        var x = new Tensor(TensorShape.FeatureMap(1, 3, 3), [1, -2, 3, 4, 5, -6, 7, 8, 9]);
        var avg = FloatKernels.Evaluate(new AveragePool(2, 2, 1, 1), [x], TensorShape.FeatureMap(1, 2, 2));
        Assert.Equal([2.0, 0.0, 6.0, 4.0], avg.Data);
        var padded = FloatKernels.Evaluate(new MaxPool(2, 2, 2, 2, new Padding2d(1, 1, 0, 0)), [x], TensorShape.FeatureMap(1, 2, 2));
        Assert.Equal([1.0, 3.0, 7.0, 9.0], padded.Data);
        var clipped = FloatKernels.Evaluate(Relu6.Instance, [x], x.Shape);
        Assert.Equal([1.0, 0, 3, 4, 5, 0, 6, 6, 6], clipped.Data);
        var shortcut = FloatKernels.Evaluate(new ZeroPadShortcut(2, 1, 2), [x], TensorShape.FeatureMap(4, 2, 2));
        Assert.Equal([0.0, 0, 0, 0, 1, 3, 7, 9, 0, 0, 0, 0, 0, 0, 0, 0], shortcut.Data);
    }

    [Fact]
    public void BatchNormFolding_PreservesTheFunction_AndRemovesFoldableBatchNorms()
    {
        var graph = ModelZoo.Create("resnet32-sci", new ZooOptions(WidthMultiplier: 0.25));
        var folded = BatchNormFolding.Fold(graph);
        Assert.DoesNotContain(folded.Nodes, n => n.Operator is BatchNormalization);
        Assert.Equal(graph.Nodes.Count - 34, folded.Nodes.Count);
        var image = TestModels.RandomImage(graph.InputShape, 11);
        var expected = FloatExecutor.Run(graph, image).Data;
        var actual = FloatExecutor.Run(folded, image).Data;
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-9);
    }

    [Fact]
    public void CalibratedZooModelsKeepActivationsAtATrainedNetworksScale()
    {
        var graph = ModelZoo.Create("resnet32", new ZooOptions(WidthMultiplier: 0.5));
        var values = FloatExecutor.RunAll(graph, TestModels.RandomImage(graph.InputShape, 5));
        foreach (var node in graph.Nodes.Where(n => n.Operator is BatchNormalization))
        {
            var v = values[node.Output].Data;
            double rms = Math.Sqrt(v.Average(a => a * a));
            Assert.InRange(rms, 0.2, 3.0);
        }
        Assert.InRange(values[graph.OutputName].Data.Max(Math.Abs), 0.1, 100);
    }

    [Fact]
    public void RunRejectsAnInputOfTheWrongShape()
    {
        var e = Assert.Throws<ArgumentException>(() => FloatExecutor.Run(TestModels.Tiny(), new Tensor(TensorShape.FeatureMap(3, 4, 4))));
        Assert.Contains("takes an input of shape [3, 8, 8], got [3, 4, 4]", e.Message);
    }
}
