using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Onnx;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;
using Google.Protobuf;

namespace CoPriv.Models.Tests;

/// <summary>The position-dependent bias: its shape checks, float meaning, fixed-point lowering and ONNX round trip.</summary>
public class BiasMapTests
{
    private static readonly TensorShape Shape = TensorShape.FeatureMap(4, 8, 8);

    [Fact]
    public void WrongShapes_AreRejected_NamingTheNodeAndBothShapes()
    {
        Assert.Contains("[channels, height, width]", Assert.Throws<ArgumentException>(() => new BiasMap(TensorShape.Vector(4), new double[4])).Message);
        Assert.Contains("needs 256 values, got 255", Assert.Throws<ArgumentException>(() => new BiasMap(Shape, new double[255])).Message);
        var e = Assert.Throws<InvalidModelException>(() => new ModelGraph("m", "", "x", TensorShape.FeatureMap(3, 8, 8),
            [new Node("border", new BiasMap(Shape, new double[256]), ["x"], "y")], "y"));
        Assert.Equal("node 'border': bias map of shape [4, 8, 8] cannot be added to an input of shape [3, 8, 8]", e.Message);
    }

    [Fact]
    public void FloatKernel_AddsItsValueAtEveryPosition()
    {
        var values = TestModels.Gaussian(Shape.ElementCount, 3);
        var graph = new ModelGraph("m", "", "x", Shape, [new Node("border", new BiasMap(Shape, values), ["x"], "y")], "y");
        var input = TestModels.RandomImage(Shape, 4);
        var output = FloatExecutor.Run(graph, input);
        for (int i = 0; i < values.Length; i++) Assert.Equal(input.Data[i] + values[i], output.Data[i]);
    }

    [Fact]
    public void Lowering_EncodesTheConstantAtItsInputsScale_AndTheClientViewHoldsZerosOfTheSameShape()
    {
        var graph = TestModels.TinyWithBiasMap();
        var values = ((BiasMap)graph.NodeNamed("border").Operator).Values;
        var program = FixedPointLowering.Lower(graph);
        var map = program.OperationsOf<RingBiasMap>().Single();
        // The convolution's output waits at 2s for the ReLU6's truncation, so the constant is added at 2s.
        Assert.Equal(2 * program.Scale, map.OutputScale);
        Assert.True(map.IsLocal);
        var expected = new ulong[values.Length];
        new FixedPoint(program.Ring, 2 * program.Scale).Encode(values, expected);
        Assert.Equal(expected, map.Values);
        var client = program.WithoutParameters().OperationsOf<RingBiasMap>().Single();
        Assert.Equal((map.OutputShape, map.OutputScale), (client.OutputShape, client.OutputScale));
        Assert.All(client.Values, v => Assert.Equal(0UL, v));
    }

    [Fact]
    public void Export_WritesAnAddOfA1CHWInitializer_ThatImportsAsTheSameBiasMap_AndOnnxRuntimeAgrees()
    {
        var graph = TestModels.TinyWithBiasMap();
        var proto = OnnxExporter.ToProto(graph);
        var add = proto.Graph.Node.Single(n => n.Name == "border");
        Assert.Equal("Add", add.OpType);
        Assert.Equal([1L, 4, 8, 8], proto.Graph.Initializer.Single(t => t.Name == add.Input[1]).Dims);

        var imported = OnnxImporter.Import(proto.ToByteArray());
        var original = (BiasMap)graph.NodeNamed("border").Operator;
        var read = Assert.IsType<BiasMap>(imported.NodeNamed("border").Operator);
        Assert.Equal(original.Shape, read.Shape);
        Assert.Equal(original.Values.Select(v => (double)(float)v), read.Values);

        using var ort = new OnnxRuntimeOracle(graph);
        var image = TestModels.RandomImage(graph.InputShape, 6);
        var ours = FloatExecutor.Run(graph, image).Data;
        var theirs = ort.Run(image);
        for (int i = 0; i < ours.Length; i++) Assert.Equal(ours[i], theirs[i], 1e-4);
    }

    [Fact]
    public void AddOfAConstantWithoutTheBatchAxis_ImportsAsABiasMap_AndOtherConstantShapesAreAClearError()
    {
        var proto = OnnxExporter.ToProto(TestModels.TinyWithBiasMap());
        var initializer = proto.Graph.Initializer.Single(t => t.Name == "border.bias_map");
        initializer.Dims.Clear();
        initializer.Dims.AddRange([4L, 8, 8]);
        Assert.IsType<BiasMap>(OnnxImporter.Import(proto.ToByteArray()).NodeNamed("border").Operator);

        initializer.Dims.Clear();
        initializer.Dims.AddRange([1L, 4, 16, 4]);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(proto.ToByteArray()));
        Assert.Contains("node 'border': Add of a constant is supported only as", e.Message);
        Assert.Contains("[1, C, H, W] (or [C, H, W]) bias map", e.Message);
    }
}
