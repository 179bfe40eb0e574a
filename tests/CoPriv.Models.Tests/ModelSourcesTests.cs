using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Onnx;
using CoPriv.Models.Onnx.Schema;
using CoPriv.Models.Sources;
using CoPriv.Models.Zoo;
using Google.Protobuf;

namespace CoPriv.Models.Tests;

/// <summary>
/// Where a run's model comes from: zoo names and ONNX files resolved alike, the weight-free architecture a server
/// sends a client, and the refusals a malformed file or a hostile architecture meets.
/// </summary>
public sealed class ModelSourcesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("copriv-sources-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ModelGraph QuarterMobileNet() => ModelZoo.Create("mobilenetv2", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 1));

    [Fact]
    public void ZooNames_ResolveInAnyCase_AndFilesToOnnxModels()
    {
        Assert.Same(ModelZoo.Get("resnet32"), ModelSources.Resolve("ResNet32"));
        string path = Path.Combine(_directory, "tiny.onnx");
        OnnxExporter.Save(TestModels.Tiny(), path);
        var source = Assert.IsType<OnnxModel>(ModelSources.Resolve(path));
        Assert.Equal(path, source.Name);
        Assert.Equal(TestModels.Tiny().InputShape, source.InputShape);
    }

    [Fact]
    public void UnknownNames_AndMissingFiles_AreClearErrors()
    {
        var unknown = Assert.Throws<ArgumentException>(() => ModelSources.Resolve("resnet33"));
        Assert.Contains("unknown model 'resnet33'", unknown.Message);
        Assert.Contains("resnet32", unknown.Message);
        Assert.Contains(".onnx", unknown.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => ModelSources.Resolve(Path.Combine(_directory, "absent.onnx")));
        Assert.Contains("absent.onnx", missing.Message);
    }

    [Fact]
    public void ModelFile_ComputesWhatTheGraphItWasSavedFromComputes()
    {
        var graph = QuarterMobileNet();
        string path = Path.Combine(_directory, "m.onnx");
        OnnxExporter.Save(graph, path, "CIFAR-100");
        var source = OnnxModel.Load(path);
        var image = TestModels.RandomImage(graph.InputShape, 5);
        var expected = FloatExecutor.Run(graph, image).Data;
        var actual = FloatExecutor.Run(source.Create(), image).Data;
        // The file stores float32: equal to float32 rounding of every weight, not bit for bit.
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-3);
        Assert.Equal(100, source.Classes);
    }

    [Fact]
    public void Architecture_KeepsEveryOperatorAndShape_ButNoWeight()
    {
        var graph = QuarterMobileNet();
        byte[] weighted = OnnxExporter.Export(graph, "CIFAR-100");
        byte[] architecture = OnnxExporter.ExportArchitecture(graph, "CIFAR-100");
        Assert.True(architecture.Length * 10 < weighted.Length, $"architecture {architecture.Length} B, weighted model {weighted.Length} B");

        var (copy, dataset) = OnnxImporter.ImportArchitecture(architecture);
        Assert.Equal("CIFAR-100", dataset);
        var original = OnnxImporter.Import(weighted);
        Assert.Equal(original.Nodes.Select(n => (n.Name, n.Operator.Kind, n.Output)), copy.Nodes.Select(n => (n.Name, n.Operator.Kind, n.Output)));
        Assert.Equal(original.Nodes.Select(n => original.ShapeOf(n.Output)), copy.Nodes.Select(n => copy.ShapeOf(n.Output)));
        Assert.Equal(original.Nodes.Sum(n => n.Operator.ParameterCount), copy.Nodes.Sum(n => n.Operator.ParameterCount));
        foreach (var op in copy.Nodes.Select(n => n.Operator))
        {
            double[] values = op switch
            {
                Convolution c => [.. c.Weights, .. c.Bias ?? []],
                BatchNormalization b => [.. b.Scale, .. b.Bias, .. b.Mean],
                FullyConnected f => [.. f.Weights, .. f.Bias ?? []],
                _ => [],
            };
            Assert.All(values, v => Assert.Equal(0.0, v));
        }
        // The weighted importer refuses an architecture: its initializers have no values.
        Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(architecture));
    }

    [Fact]
    public void Architecture_FromAPeer_IsRefusedBeforeAllocating_WhenItDeclaresTooManyWeights()
    {
        byte[] architecture = OnnxExporter.ExportArchitecture(TestModels.Tiny());
        var (tiny, _) = OnnxImporter.ImportArchitecture(architecture);
        long parameters = tiny.Nodes.Sum(n => n.Operator.ParameterCount);

        var tooMany = Assert.Throws<OnnxFormatException>(() => OnnxImporter.ImportArchitecture(architecture, maxParameters: parameters / 2));
        Assert.Contains($"more than {parameters / 2} weights", tooMany.Message);

        var huge = ModelProto.Parser.ParseFrom(architecture);
        huge.Graph.Initializer[0].Dims[0] = 1L << 40;
        Assert.Contains("more than", Assert.Throws<OnnxFormatException>(() => OnnxImporter.ImportArchitecture(huge.ToByteArray())).Message);
        var negative = ModelProto.Parser.ParseFrom(architecture);
        negative.Graph.Initializer[0].Dims[0] = -3;
        Assert.Contains("negative", Assert.Throws<OnnxFormatException>(() => OnnxImporter.ImportArchitecture(negative.ToByteArray())).Message);
    }

    [Theory]
    [InlineData(10, "CIFAR-10")]
    [InlineData(100, "CIFAR-100")]
    [InlineData(7, null)]
    public void Dataset_ComesFromTheMetadata_ElseFromTheInputAndClassCount(int classes, string? inferred)
    {
        var graph = ModelZoo.Create("resnet32", new ZooOptions(WidthMultiplier: 0.25, Classes: classes, CalibrationSamples: 0));
        string plain = Path.Combine(_directory, "plain.onnx"), named = Path.Combine(_directory, "named.onnx");
        OnnxExporter.Save(graph, plain);
        OnnxExporter.Save(graph, named, "my-dataset");
        Assert.Equal(inferred, OnnxModel.Load(plain).Dataset);
        Assert.Equal("my-dataset", OnnxModel.Load(named).Dataset);
        Assert.Equal("my-dataset", OnnxModel.FromArchitecture("named.onnx", OnnxModel.Load(named).ArchitectureBytes()).Dataset);
    }

    [Fact]
    public void ModelFile_HasOnlyItsOwnWidth()
    {
        string path = Path.Combine(_directory, "tiny.onnx");
        OnnxExporter.Save(TestModels.Tiny(), path);
        var source = OnnxModel.Load(path);
        Assert.Same(source.Architecture(), source.Create(new ZooOptions(Seed: 9)));
        var e = Assert.Throws<ArgumentException>(() => source.Architecture(0.5));
        Assert.Contains("fixed", e.Message);
    }

    [Fact]
    public void BadFiles_AreFormatErrorsNamingTheFile_AndWhatIsSupported()
    {
        string garbage = Path.Combine(_directory, "garbage.onnx");
        File.WriteAllBytes(garbage, [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
        var notOnnx = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(garbage));
        Assert.StartsWith($"model '{garbage}': not a valid ONNX model", notOnnx.Message);

        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(TestModels.Tiny()));
        var relu = model.Graph.Node.First(n => n.OpType == "Relu");
        relu.OpType = "Sigmoid";
        string sigmoid = Path.Combine(_directory, "sigmoid.onnx");
        File.WriteAllBytes(sigmoid, model.ToByteArray());
        var unsupported = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(sigmoid));
        Assert.Contains($"node '{relu.Name}' uses operator 'Sigmoid'", unsupported.Message);
        Assert.Contains("supported: Conv, BatchNormalization, Relu", unsupported.Message);
    }
}
