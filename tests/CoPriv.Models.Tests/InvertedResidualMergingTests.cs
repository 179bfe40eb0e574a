using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Onnx;
using CoPriv.Models.Optimization;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;
using Google.Protobuf;
using Xunit.Abstractions;

namespace CoPriv.Models.Tests;

/// <summary>
/// Merging a linearized inverted-residual block into one dense convolution is exact: the oracle is always the float
/// executor running the unmerged, linearized graph, never the merge's own arithmetic.
/// </summary>
public class InvertedResidualMergingTests(ITestOutputHelper output)
{
    /// <summary>Issue 12's bound: max |merged − unmerged| ≤ 1e-4 × max |unmerged|.</summary>
    private const double RelativeTolerance = 1e-4;

    [Theory]
    [InlineData(8, 6, 8, 1)]   // residual
    [InlineData(8, 6, 12, 1)]  // stride 1, no residual (channels change)
    [InlineData(8, 6, 12, 2)]  // stride 2
    [InlineData(8, 6, 8, 2)]   // stride 2, same channels: still no residual
    [InlineData(8, 1, 8, 1)]   // t = 1 (no expand), residual
    [InlineData(8, 1, 16, 2)]  // t = 1, stride 2
    public void MergedBlock_ComputesTheLinearizedBlock_BorderIncluded(int inChannels, int expansion, int outChannels, int stride)
    {
        var linear = BlockLinearization.Linearize(TestModels.InvertedResidualBlock(inChannels, expansion, outChannels, stride, 31), ["b1"]);
        var merged = InvertedResidualMerging.Merge(linear, appendRelu6: false);

        var conv = Assert.IsType<Convolution>(merged.NodeNamed("b1.merged").Operator);
        Assert.Equal((1, 3, 3, stride, stride, inChannels, outChannels), (conv.Groups, conv.KernelHeight, conv.KernelWidth,
            conv.StrideHeight, conv.StrideWidth, conv.InChannels, conv.OutChannels));
        // Only an expand's bias can miss the border, so only blocks with an expand need the bias map.
        Assert.Equal(expansion == 1 ? new[] { "b1.merged" } : ["b1.merged", "b1.border"], merged.Nodes.Select(n => n.Name));
        Assert.Equal(linear.OutputShape, merged.OutputShape);

        double worst = 0;
        for (ulong seed = 40; seed < 43; seed++)
            worst = Math.Max(worst, AssertSameOutputs(linear, merged, seed));
        output.WriteLine($"t={expansion} {inChannels}→{outChannels} stride {stride}: max |merged − unmerged| / max |unmerged| = {worst:E2}");
    }

    [Fact]
    public void ZeroExpandBias_NeedsNoBiasMap_AndStaysExact()
    {
        var linear = BlockLinearization.Linearize(TestModels.InvertedResidualBlock(8, 6, 8, 1, 32, zeroExpandBias: true), ["b1"]);
        var merged = InvertedResidualMerging.Merge(linear, appendRelu6: false);
        Assert.Equal(["b1.merged"], merged.Nodes.Select(n => n.Name));
        AssertSameOutputs(linear, merged, 44);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WithoutTheBorderBiasMap_BorderPixelsDiffer_AndInteriorPixelsDoNot(int stride)
    {
        var linear = BlockLinearization.Linearize(TestModels.InvertedResidualBlock(8, 6, 12, stride, 33), ["b1"]);
        var merged = InvertedResidualMerging.Merge(linear, appendRelu6: false);
        var withoutBorder = merged.WithNodes(merged.Nodes.Where(n => n.Name != "b1.border"), "b1.merged");
        var image = TestModels.RandomImage(linear.InputShape, 45);
        var expected = FloatExecutor.Run(linear, image);
        var actual = FloatExecutor.Run(withoutBorder, image);

        var shape = expected.Shape;
        double scale = expected.Data.Max(Math.Abs);
        int borderPixels = 0;
        for (int y = 0; y < shape.Height; y++)
            for (int x = 0; x < shape.Width; x++)
            {
                // A 3×3 window padded 1 leaves the 9×7 input at the top or left of output pixel 0 and at the bottom or
                // right when its last row or column, stride·i + 1, is past the input's last.
                bool border = y == 0 || x == 0 || stride * y + 1 >= linear.InputShape.Height || stride * x + 1 >= linear.InputShape.Width;
                double largest = Enumerable.Range(0, shape.Channels).Max(c => Math.Abs(expected[c, y, x] - actual[c, y, x]));
                if (border)
                {
                    borderPixels++;
                    Assert.True(largest > 1e-2 * scale, $"border pixel ({y}, {x}) differs by only {largest:E2} without the bias map");
                }
                else Assert.True(largest <= 1e-12 * scale, $"interior pixel ({y}, {x}) differs by {largest:E2}");
            }
        Assert.Equal(stride == 1 ? 2 * 9 + 2 * 7 - 4 : 2 * 5 + 2 * 4 - 4, borderPixels);
    }

    [Fact]
    public void AppendedRelu6_ClampsTheMergedOutput_ToWhatTheLinearizedBlockThenAReLU6Give()
    {
        var linear = BlockLinearization.Linearize(TestModels.InvertedResidualBlock(8, 6, 8, 1, 34), ["b1"]);
        var merged = InvertedResidualMerging.Merge(linear);
        Assert.Equal(["b1.merged", "b1.border", "b1.relu"], merged.Nodes.Select(n => n.Name));
        var image = TestModels.RandomImage(linear.InputShape, 46);
        var expected = FloatExecutor.Run(linear, image).Data.Select(v => Math.Clamp(v, 0, 6)).ToArray();
        var actual = FloatExecutor.Run(merged, image).Data;
        Assert.Contains(expected, v => v == 0);
        Assert.Contains(expected, v => v is > 0 and < 6);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-9);
    }

    [Fact]
    public void BlocksWithActivations_AreLeftAsTheyAre()
    {
        var graph = TestModels.MiniMobileNet();
        Assert.Equal(graph.Nodes, InvertedResidualMerging.Merge(graph).Nodes);
        var partly = BlockLinearization.Linearize(graph, ["b2"]);
        var merged = InvertedResidualMerging.Merge(partly);
        Assert.Equal(partly.Nodes.Where(n => !n.Name.StartsWith("b2.")).Select(n => (n.Name, n.Operator)),
            merged.Nodes.Where(n => !n.Name.StartsWith("b2.")).Select(n => (n.Name, n.Operator)));
        Assert.Equal(["b2.merged", "b2.border", "b2.relu"], merged.Nodes.Where(n => n.Name.StartsWith("b2.")).Select(n => n.Name));
        // The next block reads the merged block's ReLU6, in both places it read the block's output.
        Assert.Equal(["b2.relu"], merged.NodeNamed("b3.expand").Inputs);
        Assert.Contains("b2.relu", merged.NodeNamed("b3.add").Inputs);
    }

    [Theory]
    [InlineData("b1,b3,b4,b5,b6,b17")]
    [InlineData("all")]
    public void QuarterWidthMobileNetV2_LinearizedThenMerged_ComputesTheLinearizedNetwork(string blocks)
    {
        var zoo = ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.25));
        var ids = blocks == "all"
            ? ActivationBlocks.Of(zoo).Where(b => b.Kind == ActivationBlockKind.InvertedResidual).Select(b => b.Id).ToArray()
            : blocks.Split(',');
        var linear = BlockLinearization.Linearize(zoo, ids);
        var merged = InvertedResidualMerging.Merge(linear, appendRelu6: false);

        var mergedBlocks = ActivationBlocks.Of(merged);
        Assert.Equal(ActivationBlocks.Of(zoo).Select(b => b.Id), mergedBlocks.Select(b => b.Id));
        Assert.Equal(ids, mergedBlocks.Where(b => b.Kind == ActivationBlockKind.Merged).Select(b => b.Id));
        Assert.All(mergedBlocks.Where(b => b.Kind == ActivationBlockKind.Merged), b => Assert.True(b.IsLinear));

        double worst = 0;
        foreach (ulong seed in new ulong[] { 50, 51 })
        {
            var image = TestModels.RandomImage(zoo.InputShape, seed);
            var expected = FloatExecutor.RunAll(linear, image);
            var actual = FloatExecutor.RunAll(merged, image);
            // Every block's output, not only the logits: a linearized network's ReLU6s in the stem and head saturate
            // (the zoo calibrated them with the activations in place), and a clamped value hides any difference.
            foreach (var (before, after) in ActivationBlocks.Of(linear).Zip(mergedBlocks))
                worst = Math.Max(worst, AssertClose(expected[before.Output].Data, actual[after.Output].Data, $"block {before.Id} on input {seed}"));
            worst = Math.Max(worst, AssertClose(expected[linear.OutputName].Data, actual[merged.OutputName].Data, $"logits of input {seed}"));
        }
        output.WriteLine($"mobilenetv2 ¼, {ids.Length} blocks merged: max relative difference {worst:E2}");
    }

    [Fact]
    public void MergedMobileNetV2_RoundTripsThroughOnnx_WithItsBiasMaps_AndOnnxRuntimeAgrees()
    {
        var zoo = ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.25));
        var merged = InvertedResidualMerging.Merge(BlockLinearization.Linearize(zoo, ["b1", "b4", "b5"]));
        var imported = OnnxImporter.Import(OnnxExporter.ToProto(merged).ToByteArray());

        Assert.Equal(merged.Nodes.Select(n => (n.Name, n.Operator.Kind)), imported.Nodes.Select(n => (n.Name, n.Operator.Kind)));
        foreach (var id in new[] { "b4", "b5" })
        {
            var original = (BiasMap)merged.NodeNamed($"{id}.border").Operator;
            var read = (BiasMap)imported.NodeNamed($"{id}.border").Operator;
            Assert.Equal(original.Shape, read.Shape);
            Assert.Equal(original.Values.Select(v => (double)(float)v), read.Values);
        }
        Assert.Equal(ActivationBlocks.Of(merged), ActivationBlocks.Of(imported), new ActivationBlockComparer());

        using var ort = new OnnxRuntimeOracle(merged);
        var image = TestModels.RandomImage(zoo.InputShape, 52);
        var ours = FloatExecutor.Run(merged, image).Data;
        AssertClose(ours, FloatExecutor.Run(imported, image).Data, "imported graph");
        AssertClose(ours, ort.Run(image).Select(v => (double)v).ToArray(), "ONNX Runtime");
    }

    [Fact]
    public void ALinearBlockThatIsNotTheChain_IsRefused_NamingTheBlockAndTheNode()
    {
        var block = BlockLinearization.Linearize(TestModels.InvertedResidualBlock(8, 6, 12, 1, 35), ["b1"]);
        // A 3×3 project: the block still has a depthwise, so it is an inverted residual, but not one the merge knows.
        var project = (Convolution)block.NodeNamed("b1.project").Operator;
        var wide = block.WithNodes(block.Nodes.Select(n => n.Name == "b1.project"
            ? n.WithOperator(new Convolution(48, 12, 3, 3, new double[12 * 48 * 9], project.Bias, padding: Padding2d.Symmetric(1)))
            : n));
        var e = Assert.Throws<InvalidModelException>(() => InvertedResidualMerging.Merge(wide));
        Assert.Equal("block 'b1' cannot be merged: its convolutions are Conv 1×1/1 → DepthwiseConv 3×3/1 → Conv 3×3/1, "
            + "expected [expand 1×1 → BN →] depthwise k×k → BN → project 1×1 → BN [→ Add of the block input]", e.Message);

        var pooled = block.WithNodes(block.Nodes.SelectMany(n => n.Name == "b1.dw_bn"
            ? [n, new Node("b1.pool", new MaxPool(3, 1, 1), [n.Output], "b1.pool")]
            : n.Name == "b1.project" ? [new Node(n.Name, n.Operator, ["b1.pool"], n.Output)] : new[] { n }));
        e = Assert.Throws<InvalidModelException>(() => InvertedResidualMerging.Merge(pooled));
        Assert.StartsWith("block 'b1' cannot be merged: node 'b1.pool' (MaxPool of b1.dw_bn) does not continue the chain", e.Message);
    }

    private static double AssertSameOutputs(ModelGraph expectedGraph, ModelGraph actualGraph, ulong seed)
    {
        var image = TestModels.RandomImage(expectedGraph.InputShape, seed);
        return AssertClose(FloatExecutor.Run(expectedGraph, image).Data, FloatExecutor.Run(actualGraph, image).Data, $"input {seed}");
    }

    /// <summary>Asserts max |a − e| ≤ 1e-4 × max |e| and returns max |a − e| / max |e|.</summary>
    private static double AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs), worst = 0;
        Assert.True(scale > 0, $"{what}: the expected output is all zero, which would prove nothing");
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        Assert.True(worst <= RelativeTolerance * scale, $"{what}: max |difference| {worst:E3} exceeds {RelativeTolerance} × {scale:E3}");
        return worst / scale;
    }

    /// <summary>Blocks are records of lists; equal when their fields and their lists' elements are.</summary>
    private sealed class ActivationBlockComparer : IEqualityComparer<ActivationBlock>
    {
        public bool Equals(ActivationBlock? x, ActivationBlock? y) => x is not null && y is not null
            && (x.Id, x.Kind, x.Input, x.Output, x.HasResidual) == (y.Id, y.Kind, y.Input, y.Output, y.HasResidual)
            && x.ActivationNodes.SequenceEqual(y.ActivationNodes) && x.LinearNodes.SequenceEqual(y.LinearNodes);

        public int GetHashCode(ActivationBlock obj) => obj.Id.GetHashCode();
    }
}
