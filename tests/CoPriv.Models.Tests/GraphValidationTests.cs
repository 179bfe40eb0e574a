using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Tests;

public class GraphValidationTests
{
    private static Convolution Conv(int inC, int outC, int groups = 1) =>
        new(inC, outC, 3, 3, new double[outC * (inC / groups) * 9], padding: Padding2d.Symmetric(1), groups: groups);

    [Fact]
    public void ChannelMismatch_NamesTheNodeAndBothChannelCounts()
    {
        var b = new GraphBuilder("x", TensorShape.FeatureMap(32, 8, 8));
        var e = Assert.Throws<InvalidModelException>(() => b.Add("conv7", Conv(16, 16), "x"));
        Assert.Equal("node 'conv7': weight has 16 input channels, input has 32", e.Message);
    }

    [Fact]
    public void GroupedChannelMismatch_ExplainsTheGroups()
    {
        var b = new GraphBuilder("x", TensorShape.FeatureMap(6, 8, 8));
        var e = Assert.Throws<InvalidModelException>(() => b.Add("g", Conv(8, 8, groups: 2), "x"));
        Assert.Contains("4 input channels per group × 2 groups = 8, input has 6", e.Message);
    }

    [Fact]
    public void FullyConnectedMismatch_NamesFeatureCounts()
    {
        var b = new GraphBuilder("x", TensorShape.Vector(100));
        var e = Assert.Throws<InvalidModelException>(() => b.Add("fc", new FullyConnected(64, 10, new double[640]), "x"));
        Assert.Equal("node 'fc': weight has 64 input features, input has 100", e.Message);
    }

    [Fact]
    public void NodesOutOfTopologicalOrder_AreRejected()
    {
        var nodes = new[]
        {
            new Node("relu", Relu.Instance, ["conv"], "relu"),
            new Node("conv", Conv(3, 4), ["x"], "conv"),
        };
        var e = Assert.Throws<InvalidModelException>(() =>
            new ModelGraph("m", "", "x", TensorShape.FeatureMap(3, 4, 4), nodes, "relu"));
        Assert.Contains("node 'relu' reads 'conv'", e.Message);
        Assert.Contains("topological order", e.Message);
    }

    [Fact]
    public void AddOfDifferentShapes_AndWrongArity_AndDuplicateOutputs_AreRejected()
    {
        var shape = TensorShape.FeatureMap(3, 4, 4);
        var add = Assert.Throws<InvalidModelException>(() => new ModelGraph("m", "", "x", shape,
            [new Node("c", Conv(3, 4), ["x"], "c"), new Node("a", Add.Instance, ["x", "c"], "a")], "a"));
        Assert.Contains("cannot add tensors of shapes [3, 4, 4] and [4, 4, 4]", add.Message);
        var arity = Assert.Throws<InvalidModelException>(() => new ModelGraph("m", "", "x", shape,
            [new Node("a", Add.Instance, ["x"], "a")], "a"));
        Assert.Contains("Add takes 2 input(s), got 1", arity.Message);
        var duplicate = Assert.Throws<InvalidModelException>(() => new ModelGraph("m", "", "x", shape,
            [new Node("r1", Relu.Instance, ["x"], "y"), new Node("r2", Relu.Instance, ["x"], "y")], "y"));
        Assert.Contains("writes 'y', which is already defined", duplicate.Message);
        var output = Assert.Throws<InvalidModelException>(() => new ModelGraph("m", "", "x", shape,
            [new Node("r1", Relu.Instance, ["x"], "y")], "z"));
        Assert.Contains("'z' is produced by no node", output.Message);
    }

    [Fact]
    public void KernelLargerThanInput_AndFullyConnectedOnFeatureMap_AreRejected()
    {
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 2, 2));
        var conv = new Convolution(3, 1, 5, 5, new double[75]);
        Assert.Contains("larger than the padded input 2×2", Assert.Throws<InvalidModelException>(() => b.Add("big", conv, "x")).Message);
        Assert.Contains("flatten first", Assert.Throws<InvalidModelException>(
            () => b.Add("fc", new FullyConnected(12, 2, new double[24]), "x")).Message);
    }

    [Fact]
    public void ShapesAreInferredForStridedAsymmetricAndShortcutLayers()
    {
        var b = new GraphBuilder("x", TensorShape.FeatureMap(16, 32, 32));
        string s2 = b.Add("s2", new Convolution(16, 32, 3, 3, new double[32 * 16 * 9], strideHeight: 2, strideWidth: 2,
            padding: new Padding2d(0, 0, 1, 1)), "x");
        Assert.Equal(TensorShape.FeatureMap(32, 16, 16), b.ShapeOf(s2));
        Assert.Equal(TensorShape.FeatureMap(32, 16, 16), b.ShapeOf(b.Add("sc", ZeroPadShortcut.Between(16, 32, 2), "x")));
        Assert.Equal(TensorShape.FeatureMap(16, 16, 16), b.ShapeOf(b.Add("mp", new MaxPool(3, 2, 1), "x")));
        Assert.Equal(TensorShape.FeatureMap(16, 1, 1), b.ShapeOf(b.Add("gap", GlobalAveragePool.Instance, "x")));
    }

    [Fact]
    public void OperatorConstructorsRejectParametersOfTheWrongSize()
    {
        Assert.Throws<ArgumentException>(() => new Convolution(3, 4, 3, 3, new double[10]));
        Assert.Throws<ArgumentException>(() => new Convolution(3, 4, 3, 3, new double[4 * 27], bias: new double[3]));
        Assert.Throws<ArgumentException>(() => new Convolution(3, 4, 3, 3, new double[4 * 27], groups: 2));
        Assert.Throws<ArgumentException>(() => new BatchNormalization([1.0], [0.0], [0.0], [-1.0], 0));
        Assert.Throws<ArgumentException>(() => new FullyConnected(3, 2, new double[5]));
    }
}
