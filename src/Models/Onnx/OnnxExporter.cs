using System.Buffers.Binary;
using CoPriv.Models.Graph;
using CoPriv.Models.Onnx.Schema;
using Google.Protobuf;

namespace CoPriv.Models.Onnx;

/// <summary>
/// Writes a <see cref="ModelGraph"/> as an ONNX model (IR version 7, default-domain opset 13, float32 weights, batch
/// dimension 1), so other engines (ONNX Runtime) can run the very model CoPriv runs. Used by the server side (it owns
/// the weights) and by validation tests. <see cref="ExportArchitecture"/> writes the same file without the weights'
/// values (every weight initializer keeps its name and dimensions, no data): the public architecture a server sends
/// a client, which <see cref="OnnxImporter.ImportArchitecture"/> reads back with zero weights.
/// </summary>
public static class OnnxExporter
{
    public const int OpsetVersion = 13;
    public const long IrVersion = 7;

    /// <summary>The metadata key naming the dataset whose images the model takes ("CIFAR-10", "CIFAR-100", "ImageNet").</summary>
    public const string DatasetKey = "copriv.dataset";

    public static byte[] Export(ModelGraph graph, string? dataset = null) => ToProto(graph, dataset, withWeights: true).ToByteArray();

    public static void Save(ModelGraph graph, string path, string? dataset = null) => File.WriteAllBytes(path, Export(graph, dataset));

    /// <summary>The model without its weights' values: operators, shapes, attributes and the public constants only.</summary>
    public static byte[] ExportArchitecture(ModelGraph graph, string? dataset = null) => ToProto(graph, dataset, withWeights: false).ToByteArray();

    internal static ModelProto ToProto(ModelGraph graph, string? dataset = null, bool withWeights = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var g = new GraphProto { Name = graph.Name, DocString = graph.Description };
        g.Input.Add(ValueInfo(graph.InputName, [1, .. graph.InputShape.Dimensions]));
        g.Output.Add(ValueInfo(graph.OutputName, [1, .. graph.OutputShape.Dimensions]));
        var weights = new Weights(g, withWeights);
        foreach (var node in graph.Nodes)
            AddNode(weights, node);
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "CoPriv",
            ProducerVersion = "1",
            DocString = graph.Description,
            Graph = g,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        if (dataset is not null) model.MetadataProps.Add(new StringStringEntryProto { Key = DatasetKey, Value = dataset });
        return model;
    }

    private static void AddNode(Weights weights, Node node)
    {
        var g = weights.Graph;
        string x = node.Inputs[0], y = node.Output, n = node.Name;
        switch (node.Operator)
        {
            case Convolution conv:
            {
                var inputs = new List<string> { x, weights.Add($"{n}.weight", [conv.OutChannels, conv.InChannels / conv.Groups, conv.KernelHeight, conv.KernelWidth], conv.Weights) };
                if (conv.Bias is { } bias) inputs.Add(weights.Add($"{n}.bias", [conv.OutChannels], bias));
                g.Node.Add(Make(n, "Conv", inputs, y,
                    Ints("kernel_shape", conv.KernelHeight, conv.KernelWidth),
                    Ints("strides", conv.StrideHeight, conv.StrideWidth),
                    Ints("pads", conv.Padding.Top, conv.Padding.Left, conv.Padding.Bottom, conv.Padding.Right),
                    Ints("dilations", 1, 1),
                    Int("group", conv.Groups)));
                break;
            }
            case BatchNormalization bn:
                g.Node.Add(Make(n, "BatchNormalization",
                    [x,
                        weights.Add($"{n}.scale", [bn.Channels], bn.Scale),
                        weights.Add($"{n}.bias", [bn.Channels], bn.Bias),
                        weights.Add($"{n}.mean", [bn.Channels], bn.Mean),
                        weights.Add($"{n}.var", [bn.Channels], bn.Variance)],
                    y, new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = (float)bn.Epsilon }));
                break;
            case ChannelMaskedActivation { KeptChannels: { } kept } activation:
                AddPartialActivation(g, n, x, y, activation, kept);
                break;
            case Relu:
                g.Node.Add(Make(n, "Relu", [x], y));
                break;
            case Relu6:
                g.Node.Add(ClipToRelu6(g, n, x, y));
                break;
            case Add:
                g.Node.Add(Make(n, "Add", [x, node.Inputs[1]], y));
                break;
            case BiasMap map:
                g.Node.Add(Make(n, "Add", [x, Initializer(g, $"{n}.bias_map", [1, .. map.Shape.Dimensions.Select(d => (long)d)], map.Values)], y));
                break;
            case AveragePool pool:
                g.Node.Add(Make(n, "AveragePool", [x], y, PoolAttributes(pool).Append(Int("count_include_pad", 1)).ToArray()));
                break;
            case MaxPool pool:
                g.Node.Add(Make(n, "MaxPool", [x], y, PoolAttributes(pool).ToArray()));
                break;
            case GlobalAveragePool:
                g.Node.Add(Make(n, "GlobalAveragePool", [x], y));
                break;
            case Flatten:
                g.Node.Add(Make(n, "Flatten", [x], y, Int("axis", 1)));
                break;
            case FullyConnected fc:
            {
                var inputs = new List<string> { x, weights.Add($"{n}.weight", [fc.OutFeatures, fc.InFeatures], fc.Weights) };
                if (fc.Bias is { } bias) inputs.Add(weights.Add($"{n}.bias", [fc.OutFeatures], bias));
                g.Node.Add(Make(n, "Gemm", inputs, y, Int("transB", 1)));
                break;
            }
            case ZeroPadShortcut shortcut:
                AddShortcut(g, n, x, y, shortcut);
                break;
            default:
                throw new NotSupportedException($"node '{n}': no ONNX export for operator {node.Operator.Kind}");
        }
    }

    private static NodeProto ClipToRelu6(GraphProto g, string n, string x, string y) =>
        Make(n, "Clip", [x, Initializer(g, $"{n}.min", [], [0.0]), Initializer(g, $"{n}.max", [], [Relu6.UpperBound])], y);

    /// <summary>
    /// y = x + M ⊙ (σ(x) − x), M a [C, 1, 1] constant of 0 and 1: standard ONNX for an activation kept on some channels
    /// (σ where M is 1, x where it is 0), which <see cref="OnnxImporter"/> reads back as exactly this pattern. σ keeps
    /// the node's name. M is public architecture, so it keeps its values in <see cref="ExportArchitecture"/> too.
    /// </summary>
    private static void AddPartialActivation(GraphProto g, string n, string x, string y, ChannelMaskedActivation activation, bool[] kept)
    {
        string activated = $"{n}.activated", change = $"{n}.change", masked = $"{n}.masked";
        g.Node.Add(activation is Relu6 ? ClipToRelu6(g, n, x, activated) : Make(n, "Relu", [x], activated));
        g.Node.Add(Make($"{n}.sub", "Sub", [activated, x], change));
        var mask = Initializer(g, $"{n}.kept_channels", [kept.Length, 1, 1], kept.Select(k => k ? 1.0 : 0.0).ToArray());
        g.Node.Add(Make($"{n}.mul", "Mul", [change, mask], masked));
        g.Node.Add(Make($"{n}.add", "Add", [x, masked], y));
    }

    /// <summary>Slice (every s-th row and column) then Pad (zero channels): the ONNX spelling of the option-A shortcut.</summary>
    private static void AddShortcut(GraphProto g, string n, string x, string y, ZeroPadShortcut shortcut)
    {
        bool slice = shortcut.Stride != 1, pad = shortcut.PadBefore + shortcut.PadAfter > 0;
        if (!slice && !pad)
        {
            g.Node.Add(Make(n, "Identity", [x], y));
            return;
        }
        string sliced = pad && slice ? $"{n}.subsampled" : y;
        if (slice)
            g.Node.Add(Make(slice && pad ? $"{n}.slice" : n, "Slice",
                [x, Int64s(g, $"{n}.starts", 0, 0), Int64s(g, $"{n}.ends", long.MaxValue, long.MaxValue),
                    Int64s(g, $"{n}.axes", 2, 3), Int64s(g, $"{n}.steps", shortcut.Stride, shortcut.Stride)],
                sliced));
        if (pad)
            g.Node.Add(Make(n, "Pad",
                [slice ? sliced : x, Int64s(g, $"{n}.pads", 0, shortcut.PadBefore, 0, 0, 0, shortcut.PadAfter, 0, 0)], y,
                new AttributeProto { Name = "mode", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("constant") }));
    }

    private static IEnumerable<AttributeProto> PoolAttributes(Pooling2d pool) =>
    [
        Ints("kernel_shape", pool.KernelHeight, pool.KernelWidth),
        Ints("strides", pool.StrideHeight, pool.StrideWidth),
        Ints("pads", pool.Padding.Top, pool.Padding.Left, pool.Padding.Bottom, pool.Padding.Right),
    ];

    private static NodeProto Make(string name, string opType, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>Where the server's weights go: as float32 data, or (the public architecture) as dimensions only.</summary>
    private sealed class Weights(GraphProto graph, bool withValues)
    {
        public GraphProto Graph { get; } = graph;

        public string Add(string name, long[] dims, double[] values)
        {
            if (withValues) return Initializer(Graph, name, dims, values);
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            t.Dims.AddRange(dims);
            Graph.Initializer.Add(t);
            return name;
        }
    }

    private static string Initializer(GraphProto g, string name, long[] dims, double[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)values[i]);
        t.RawData = ByteString.CopyFrom(bytes);
        g.Initializer.Add(t);
        return name;
    }

    private static string Int64s(GraphProto g, string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        g.Initializer.Add(t);
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, IEnumerable<int> dims)
    {
        var shape = new TensorShapeProto();
        foreach (int d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
