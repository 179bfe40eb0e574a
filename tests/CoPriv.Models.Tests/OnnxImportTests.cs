using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Onnx;
using CoPriv.Models.Onnx.Schema;
using CoPriv.Models.Tensors;
using Google.Protobuf;

namespace CoPriv.Models.Tests;

/// <summary>Importing ONNX files written by other tools (hand-built here) and rejecting what CoPriv cannot run.</summary>
public class OnnxImportTests
{
    /// <summary>A small ONNX model written the way other exporters do: float_data, explicit Pad before Conv, Clip, MatMul + Add, Reshape.</summary>
    private static ModelProto ForeignModel(string activation = "Clip")
    {
        var g = new GraphProto { Name = "foreign" };
        g.Input.Add(Input("data", 1, 2, 4, 4));
        g.Output.Add(Input("logits", 1, 3));
        g.Initializer.Add(Floats("w", [3, 2, 3, 3], TestModels.Gaussian(54, 1, 0.4)));
        g.Initializer.Add(Floats("b", [3], [0.1, -0.2, 0.05]));
        g.Initializer.Add(Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1));
        g.Initializer.Add(Floats("lo", [], [0.0]));
        g.Initializer.Add(Floats("hi", [], [6.0]));
        g.Initializer.Add(Int64s("shape", 1, -1));
        g.Initializer.Add(Floats("fcw", [48, 3], TestModels.Gaussian(144, 2, 0.2)));
        g.Initializer.Add(Floats("fcb", [3], [0.0, 0.5, -0.5]));
        g.Node.Add(Node("pad", "Pad", ["data", "pads"], "padded"));
        g.Node.Add(Node("conv", "Conv", ["padded", "w", "b"], "c", Ints("kernel_shape", 3, 3)));
        g.Node.Add(activation == "Clip" ? Node("act", "Clip", ["c", "lo", "hi"], "a") : Node("act", activation, ["c"], "a"));
        g.Node.Add(Node("id", "Identity", ["a"], "a2"));
        g.Node.Add(Node("reshape", "Reshape", ["a2", "shape"], "flat"));
        g.Node.Add(Node("mm", "MatMul", ["flat", "fcw"], "mmout"));
        g.Node.Add(Node("bias", "Add", ["mmout", "fcb"], "logits"));
        var model = new ModelProto { IrVersion = 7, ProducerName = "hand", Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        return model;
    }

    private static ValueInfoProto Input(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    private static TensorProto Floats(string name, long[] dims, double[] values)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values.Select(v => (float)v));
        return t;
    }

    private static TensorProto Int64s(string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        return t;
    }

    private static NodeProto Node(string name, string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var n = new NodeProto { Name = name, OpType = op };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attributes);
        return n;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    [Fact]
    public void ForeignModel_ImportsToCoPrivOperators_AndComputesWhatOnnxRuntimeComputes()
    {
        var bytes = ForeignModel().ToByteArray();
        var graph = OnnxImporter.Import(bytes);
        Assert.Equal(["Conv", "Relu6", "Flatten", "FC"], graph.Nodes.Select(n => n.Operator.Kind));
        Assert.Equal(Padding2d.Symmetric(1), ((Convolution)graph.NodeNamed("conv").Operator).Padding);
        Assert.NotNull(((FullyConnected)graph.NodeNamed("mm").Operator).Bias);
        using var ort = new OnnxRuntimeOracle(bytes, "data", graph.InputShape);
        var image = new Tensor(graph.InputShape, TestModels.Gaussian(32, 5, 3.0));
        var ours = FloatExecutor.Run(graph, image).Data;
        var theirs = ort.Run(image);
        for (int i = 0; i < ours.Length; i++) Assert.Equal(ours[i], theirs[i], 1e-4);
    }

    [Fact]
    public void UnsupportedOperator_IsNamedWithItsNode()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(ForeignModel("Sigmoid").ToByteArray()));
        Assert.StartsWith("node 'act' uses operator 'Sigmoid', which CoPriv does not support; supported: Conv, ", e.Message);
    }

    [Fact]
    public void GarbageBytes_AreReportedAsNotAnOnnxModel()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
        Assert.Contains("not a valid ONNX model", e.Message);
        Assert.Contains("no graph", Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import([])).Message);
    }

    [Fact]
    public void InitializerWithTooFewValues_NamesTheInitializer()
    {
        var model = ForeignModel();
        model.Graph.Initializer.Single(t => t.Name == "w").FloatData.RemoveAt(0);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(model.ToByteArray()));
        Assert.Equal("initializer 'w' has 53 values, dims [3, 2, 3, 3] need 54", e.Message);
    }

    [Fact]
    public void OldOpset_BatchedInput_AndUnsupportedClipRange_AreClearErrors()
    {
        var old = ForeignModel();
        old.OpsetImport[0].Version = 9;
        Assert.Contains("opset 9", Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(old.ToByteArray())).Message);
        var batched = ForeignModel();
        batched.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue = 8;
        Assert.Contains("batch size 8", Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(batched.ToByteArray())).Message);
        var clip = ForeignModel();
        clip.Graph.Initializer.Single(t => t.Name == "hi").FloatData[0] = 1;
        Assert.Contains("node 'act': Clip to [0, 1]", Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(clip.ToByteArray())).Message);
    }

    [Fact]
    public void ShapeErrorsInAnImportedModel_NameTheNode()
    {
        var model = ForeignModel();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 5;
        var e = Assert.Throws<InvalidModelException>(() => OnnxImporter.Import(model.ToByteArray()));
        Assert.Equal("node 'conv': weight has 2 input channels, input has 5", e.Message);
    }

    [Fact]
    public void MissingFile_IsAFormatErrorNamingThePath()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Load("/nonexistent/model.onnx"));
        Assert.Contains("/nonexistent/model.onnx", e.Message);
    }
}
