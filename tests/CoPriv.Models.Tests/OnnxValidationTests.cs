using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Onnx;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Tests;

/// <summary>CoPriv's executors against ONNX Runtime running the exported model.</summary>
public class OnnxValidationTests
{
    // The export stores float32 weights while our executor uses doubles: logits agree to ~1e-5 relative; we allow
    // 1e-4 of the logit range plus 1e-4 absolute.
    private const double RelativeTolerance = 1e-4;

    public static TheoryData<string, double> Models() => new()
    {
        { "minionn", 1.0 }, { "resnet32-sci", 0.25 }, { "resnet32", 0.25 }, { "mobilenetv2", 0.125 }, { "resnet18", 0.125 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void FloatExecutor_AgreesWithOnnxRuntime(string model, double width)
    {
        var graph = ModelZoo.Create(model, new ZooOptions(WidthMultiplier: width));
        using var ort = new OnnxRuntimeOracle(graph);
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var image = TestModels.RandomImage(graph.InputShape, seed);
            var ours = FloatExecutor.Run(graph, image).Data;
            var theirs = ort.Run(image);
            Assert.Equal(ours.Length, theirs.Length);
            double range = ours.Max() - ours.Min();
            for (int i = 0; i < ours.Length; i++)
                Assert.Equal(ours[i], theirs[i], RelativeTolerance * range + 1e-4);
        }
    }

    [Theory]
    [InlineData("resnet32")]
    [InlineData("resnet32-sci")]
    [InlineData("mobilenetv2")]
    public void ExportThenImport_GivesTheSameGraph(string model)
    {
        var graph = ModelZoo.Create(model, new ZooOptions(WidthMultiplier: 0.125, CalibrationSamples: 0));
        var imported = OnnxImporter.Import(OnnxExporter.Export(graph));
        Assert.Equal(graph.Nodes.Select(n => (n.Name, n.Operator.Kind, n.Output)), imported.Nodes.Select(n => (n.Name, n.Operator.Kind, n.Output)));
        Assert.Equal(graph.Nodes.Select(n => graph.ShapeOf(n.Output)), imported.Nodes.Select(n => imported.ShapeOf(n.Output)));
        Assert.Equal(graph.Name, imported.Name);
        var image = TestModels.RandomImage(graph.InputShape, 9);
        var a = FloatExecutor.Run(graph, image).Data;
        var b = FloatExecutor.Run(imported, image).Data;
        double range = a.Max() - a.Min();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], RelativeTolerance * range + 1e-4);
    }

    [Fact]
    public void ZeroPadShortcut_RoundTripsThroughSliceAndPad()
    {
        var graph = ModelZoo.Create("resnet32", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));
        var proto = OnnxExporter.ToProto(graph);
        Assert.Equal(2, proto.Graph.Node.Count(n => n.OpType == "Slice"));
        Assert.Equal(2, proto.Graph.Node.Count(n => n.OpType == "Pad"));
        var shortcut = (ZeroPadShortcut)OnnxImporter.Import(OnnxExporter.Export(graph)).NodeNamed("s2b1.shortcut").Operator;
        Assert.Equal((2, 2, 2), (shortcut.Stride, shortcut.PadBefore, shortcut.PadAfter));
    }
}
