using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Optimization;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Tests;

/// <summary>How the zoo's networks split into gated blocks, what graphs are refused, and what linearizing removes.</summary>
public class ActivationBlocksTests
{
    private static readonly ZooOptions Quarter = new(WidthMultiplier: 0.25, CalibrationSamples: 0);

    [Fact]
    public void MobileNetV2_IsAStem_SeventeenInvertedResiduals_AndAHead_WithExpandAndDepthwiseReluSharingAGate()
    {
        var blocks = ActivationBlocks.Of(ModelZoo.Create("mobilenetv2", Quarter));
        Assert.Equal(["stem", .. Enumerable.Range(1, 17).Select(i => $"b{i}"), "head"], blocks.Select(b => b.Id));
        Assert.Equal([ActivationBlockKind.Stem, .. Enumerable.Repeat(ActivationBlockKind.InvertedResidual, 17), ActivationBlockKind.Head],
            blocks.Select(b => b.Kind));

        Assert.Equal(["relu1"], blocks[0].ActivationNodes);
        Assert.Equal(("image", "relu1"), (blocks[0].Input, blocks[0].Output));
        // b1 has t = 1: no expand, one activation.
        Assert.Equal(["b1.dw_relu"], blocks[1].ActivationNodes);
        Assert.Equal(["b1.dw", "b1.dw_bn", "b1.project", "b1.project_bn"], blocks[1].LinearNodes);
        var b3 = ActivationBlocks.Named(blocks, "b3");
        Assert.Equal(["b3.expand_relu", "b3.dw_relu"], b3.ActivationNodes);
        Assert.Equal(["b3.expand", "b3.expand_bn", "b3.dw", "b3.dw_bn", "b3.project", "b3.project_bn", "b3.add"], b3.LinearNodes);
        Assert.Equal(("b2.project_bn", "b3.add", true), (b3.Input, b3.Output, b3.HasResidual));
        // Residuals exactly where the stride is 1 and the channels stay: the second and later blocks of each stage.
        Assert.Equal([3, 5, 6, 8, 9, 10, 12, 13, 15, 16], blocks.Where(b => b.HasResidual).Select(b => int.Parse(b.Id[1..])));
        var head = blocks[^1];
        Assert.Equal(["relu2"], head.ActivationNodes);
        Assert.Equal(["conv2", "bn2"], head.LinearNodes);
        Assert.All(blocks, b => Assert.False(b.IsLinear));
    }

    [Theory]
    [InlineData("resnet32", "s2b1.shortcut")]
    [InlineData("resnet32-sci", "s2b1.proj_bn")]
    public void ResNet32_IsAStem_AndFifteenBasicBlocks_WithBothRelusSharingAGate_AndNoHead(string model, string shortcutNode)
    {
        var blocks = ActivationBlocks.Of(ModelZoo.Create(model, Quarter));
        var basic = blocks.Skip(1).ToArray();
        Assert.Equal("stem", blocks[0].Id);
        Assert.Equal(Enumerable.Range(1, 3).SelectMany(s => Enumerable.Range(1, 5).Select(b => $"s{s}b{b}")), basic.Select(b => b.Id));
        Assert.All(basic, b =>
        {
            Assert.Equal(ActivationBlockKind.BasicBlock, b.Kind);
            Assert.Equal([$"{b.Id}.relu1", $"{b.Id}.relu2"], b.ActivationNodes);
            Assert.True(b.HasResidual);
            Assert.Equal($"{b.Id}.relu2", b.Output);
        });
        Assert.Contains(shortcutNode, ActivationBlocks.Named(blocks, "s2b1").LinearNodes);
        Assert.Equal("s1b5.relu2", ActivationBlocks.Named(blocks, "s2b1").Input);
    }

    [Fact]
    public void AModelWithoutBlockNames_IsRefused()
    {
        var e = Assert.Throws<InvalidModelException>(() => ActivationBlocks.Of(ModelZoo.Create("minionn", Quarter)));
        Assert.Equal("model 'minionn-w0.25' cannot be split into activation blocks: no node is named '<block>.<layer>' as the zoo's blocks are", e.Message);
    }

    [Fact]
    public void GraphsNamedOtherwise_AreRefused_SayingWhichNodeOrBlock()
    {
        Assert.Equal("model 'm': node 'mid' lies between blocks but belongs to none (block nodes are named '<block>.<layer>')",
            Refusal(b => b.Add("b2.relu", Relu.Instance, b.Add("mid", Relu.Instance, b.Add("b1.relu", Relu.Instance, "x")))));
        Assert.Equal("model 'm': the nodes of block 'b1' are not consecutive (node 'b1.again')",
            Refusal(b => b.Add("b1.again", Relu.Instance, b.Add("b2.relu", Relu.Instance, b.Add("b1.relu", Relu.Instance, "x")))));
        Assert.Equal("model 'm': activation node 'late' follows the pooling, in no block",
            Refusal(b => b.Add("late", Relu.Instance, b.Add("pool", GlobalAveragePool.Instance, b.Add("b1.relu", Relu.Instance, "x")))));
        Assert.Equal("model 'm': block 'b2' reads 2 tensors from outside (b1.relu, stem); a block reads one",
            Refusal(b =>
            {
                string stem = b.Add("stem", Relu.Instance, "x");
                return b.Add("b2.add", Add.Instance, b.Add("b1.relu", Relu.Instance, stem), stem);
            }));
        Assert.Equal("model 'm': block 'b1' is read outside through 2 tensors (b1.a, b1.b); a block has one output",
            Refusal(b =>
            {
                string a = b.Add("b1.a", Relu.Instance, "x");
                string c = b.Add("b1.b", Relu.Instance, a);
                return b.Add("b2.add", Add.Instance, a, c);
            }));
    }

    [Fact]
    public void Linearize_RemovesExactlyTheChosenBlocksActivations_AndComputesTheBlockWithoutThem()
    {
        var graph = TestModels.InvertedResidualBlock(8, 6, 8, 1, 36);
        var linear = BlockLinearization.Linearize(graph, ["b1"]);
        Assert.Equal(graph.Nodes.Where(n => n.Operator is not Relu6).Select(n => n.Name), linear.Nodes.Select(n => n.Name));
        Assert.True(ActivationBlocks.Of(linear).Single().IsLinear);

        var built = TestModels.InvertedResidualBlock(8, 6, 8, 1, 36, activations: false);
        var image = TestModels.RandomImage(graph.InputShape, 47);
        var expected = FloatExecutor.Run(built, image).Data;
        Assert.Equal(expected, FloatExecutor.Run(linear, image).Data);
        Assert.NotEqual(expected, FloatExecutor.Run(graph, image).Data);
    }

    [Fact]
    public void Linearize_LeavesOtherBlocksAlone()
    {
        var zoo = ModelZoo.Create("mobilenetv2", Quarter);
        var linear = BlockLinearization.Linearize(zoo, ["b4"]);
        Assert.Equal(zoo.Nodes.Select(n => n.Name).Except(["b4.expand_relu", "b4.dw_relu"]), linear.Nodes.Select(n => n.Name));
        Assert.Equal(["b4"], ActivationBlocks.Of(linear).Where(b => b.IsLinear).Select(b => b.Id));
        Assert.Equal(["b4.expand_bn"], linear.NodeNamed("b4.dw").Inputs);
    }

    [Fact]
    public void Linearize_OfAnUnknownBlock_ListsTheBlocksThereAre()
    {
        var e = Assert.Throws<ArgumentException>(() => BlockLinearization.Linearize(ModelZoo.Create("resnet32", Quarter), ["s4b1"]));
        Assert.StartsWith("no activation block 's4b1'; the blocks are stem, s1b1, s1b2,", e.Message);
        Assert.Contains("s3b5", e.Message);
        Assert.Equal("id", e.ParamName);
    }

    private static string Refusal(Func<GraphBuilder, string> build)
    {
        var b = new GraphBuilder("x", TensorShape.FeatureMap(2, 4, 4));
        var graph = b.Build("m", "", build(b));
        return Assert.Throws<InvalidModelException>(() => ActivationBlocks.Of(graph)).Message;
    }
}
