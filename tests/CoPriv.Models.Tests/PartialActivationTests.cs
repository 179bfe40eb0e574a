using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Onnx;
using CoPriv.Models.Statistics;
using CoPriv.Models.Tensors;
using Google.Protobuf;

namespace CoPriv.Models.Tests;

/// <summary>
/// ReLU and ReLU6 kept on some channels only (Selective Network Linearization's channel gates): the mask's shape
/// check, the float meaning, the ReLU count, the lowering's truncation, and the ONNX pattern both ways.
/// </summary>
public class PartialActivationTests
{
    private static readonly TensorShape Shape = TensorShape.FeatureMap(4, 3, 5);

    private static ModelGraph Single(LayerOperator activation, TensorShape? input = null) =>
        new("m", "", "x", input ?? Shape, [new Node("gate", activation, ["x"], "y")], "y");

    [Fact]
    public void AMaskOfTheWrongLengthOrOnAVector_IsRejected_NamingTheNode()
    {
        var e = Assert.Throws<InvalidModelException>(() => Single(new Relu([true, false, true])));
        Assert.Equal("node 'gate': channel mask has 3 entries, input has 4 channels", e.Message);
        e = Assert.Throws<InvalidModelException>(() => Single(new Relu6([true]), TensorShape.Vector(1)));
        Assert.Contains("node 'gate': input must be a [channels, height, width] feature map", e.Message);
        // Keeping no channel is allowed: the layer is then the identity.
        Assert.Equal(Shape, Single(new Relu(new bool[4])).OutputShape);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FloatKernel_AppliesTheActivationOnKeptChannels_AndTheIdentityElsewhere(bool six)
    {
        bool[] kept = [true, false, false, true];
        ChannelMaskedActivation activation = six ? new Relu6(kept) : new Relu(kept);
        var input = new Tensor(Shape, TestModels.Gaussian(Shape.ElementCount, 7, sigma: 5));
        var output = FloatExecutor.Run(Single(activation), input);
        for (int i = 0; i < input.Data.Length; i++)
        {
            double x = input.Data[i];
            double activated = six ? Math.Clamp(x, 0, 6) : Math.Max(x, 0);
            Assert.Equal(kept[i / 15] ? activated : x, output.Data[i]);
        }
        Assert.Contains(input.Data.Where((x, i) => !kept[i / 15]), x => x < 0);
    }

    [Fact]
    public void ReluCount_CountsTheKeptChannelsOnly()
    {
        Assert.Equal(60, ModelStatistics.Of(Single(Relu.Instance)).ReluCount);
        Assert.Equal(60, ModelStatistics.Of(Single(new Relu6([true, true, true, true]))).ReluCount);
        Assert.Equal(15, ModelStatistics.Of(Single(new Relu([false, false, true, false]))).ReluCount);
        var none = ModelStatistics.Of(Single(new Relu6(new bool[4])));
        Assert.Equal((0L, 0), (none.ReluCount, none.ReluLayerCount));
        // conv1 → ReLU6 on 2 of 4 channels, conv2 → ReLU on 2 of 4, both 8 × 8.
        Assert.Equal(2 * 64 + 2 * 64, ModelStatistics.Of(TestModels.TinyWithPartialActivations()).ReluCount);
    }

    [Fact]
    public void Lowering_TruncatesAfterAPartialActivationKnowingTheSignOfTheKeptChannelsOnly_AndAFullMaskLowersAsThePlainActivation()
    {
        var program = FixedPointLowering.Lower(TestModels.TinyWithPartialActivations());
        var relu = program.OperationsOf<RingRelu>().Single();
        Assert.Equal([false, true, true, false], relu.KeptChannels!);
        Assert.Equal(2 * 64, relu.KeptElementCount);
        var truncation = program.OperationsOf<RingTruncate>().Single(t => t.SourceNode == "relu");
        Assert.False(truncation.InputNonNegative);
        Assert.Equal([false, true, true, false], truncation.NonNegativeChannels!);
        Assert.Equal(relu.KeptChannels, program.WithoutParameters().OperationsOf<RingRelu>().Single().KeptChannels);

        var full = FixedPointLowering.Lower(TestModels.TinyWithPartialActivations(kept: [true, true, true, true]));
        var plain = full.OperationsOf<RingRelu>().Single();
        Assert.Null(plain.KeptChannels);
        Assert.Equal(4 * 64, plain.KeptElementCount);
        var plainTruncation = full.OperationsOf<RingTruncate>().Single(t => t.SourceNode == "relu");
        Assert.True(plainTruncation.InputNonNegative);
        Assert.Null(plainTruncation.NonNegativeChannels);
    }

    [Fact]
    public void Export_WritesXPlusMaskTimesActivationMinusX_WhichOnnxRuntimeComputes_AndWhichImportsAsTheSameActivations()
    {
        var graph = TestModels.TinyWithPartialActivations();
        var proto = OnnxExporter.ToProto(graph);
        Assert.Equal(["Clip", "Sub", "Mul", "Add"], proto.Graph.Node.SkipWhile(n => n.Name != "relu6").Take(4).Select(n => n.OpType));
        Assert.Equal(["Relu", "Sub", "Mul", "Add"], proto.Graph.Node.SkipWhile(n => n.Name != "relu").Take(4).Select(n => n.OpType));
        Assert.Equal([4L, 1, 1], proto.Graph.Initializer.Single(t => t.Name == "relu.kept_channels").Dims);

        var imported = OnnxImporter.Import(proto.ToByteArray());
        Assert.Equal(graph.Nodes.Select(n => (n.Name, n.Operator.Kind)), imported.Nodes.Select(n => (n.Name, n.Operator.Kind)));
        Assert.Equal([true, false, true, false], Assert.IsType<Relu6>(imported.NodeNamed("relu6").Operator).KeptChannels!);
        Assert.Equal([false, true, true, false], Assert.IsType<Relu>(imported.NodeNamed("relu").Operator).KeptChannels!);
        // The public architecture keeps the masks: the client needs them to plan.
        var (architecture, _) = OnnxImporter.ImportArchitecture(OnnxExporter.ExportArchitecture(graph));
        Assert.Equal([false, true, true, false], ((Relu)architecture.NodeNamed("relu").Operator).KeptChannels!);

        using var ort = new OnnxRuntimeOracle(graph);
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var image = TestModels.RandomImage(graph.InputShape, seed);
            var ours = FloatExecutor.Run(graph, image).Data;
            var reimported = FloatExecutor.Run(imported, image).Data;
            var theirs = ort.Run(image);
            for (int i = 0; i < ours.Length; i++)
            {
                Assert.Equal(ours[i], theirs[i], 1e-4);
                Assert.Equal(ours[i], reimported[i], 1e-4);
            }
        }
    }

    [Fact]
    public void AMaskOtherThanZeroAndOne_IsAnErrorNamingTheMul_AndASubOutsideThePatternStaysUnsupported()
    {
        var proto = OnnxExporter.ToProto(TestModels.TinyWithPartialActivations());
        var mask = proto.Graph.Initializer.Single(t => t.Name == "relu.kept_channels");
        var original = mask.RawData;
        var bytes = original.ToByteArray();
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), 0.5f);
        mask.RawData = ByteString.CopyFrom(bytes);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(proto.ToByteArray()));
        Assert.StartsWith("node 'relu.mul': the mask of a partial activation must be a [C, 1, 1]", e.Message);

        mask.RawData = original;
        proto.Graph.Node.Single(n => n.Name == "relu.add").Input[0] = "relu.activated";
        e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(proto.ToByteArray()));
        Assert.StartsWith("node 'relu.sub' uses operator 'Sub', which CoPriv does not support", e.Message);
    }
}
