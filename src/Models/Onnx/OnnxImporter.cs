using System.Buffers.Binary;
using CoPriv.Models.Graph;
using CoPriv.Models.Onnx.Schema;
using CoPriv.Models.Tensors;
using Google.Protobuf;

namespace CoPriv.Models.Onnx;

/// <summary>
/// Reads an ONNX model (default-domain opset 11 or later, one float input [1, C, H, W], one output) into a
/// <see cref="ModelGraph"/>. Supported: Conv (grouped, depthwise), BatchNormalization, Relu, Clip(0, 6) as ReLU6,
/// Add (of two activations, or of a [1, C, H, W] constant as a <see cref="BiasMap"/>), AveragePool, MaxPool,
/// GlobalAveragePool, Gemm, MatMul (+ Add of a constant as its bias), Flatten, Reshape to
/// [1, −1], Slice with spatial steps and channel-only Pad (the zero-padding shortcut), spatial Pad directly before a
/// Conv (folded into its padding), Identity and Dropout, and x + M ⊙ (σ(x) − x) with σ a Relu or Clip(0, 6) and M a
/// [C, 1, 1] constant of 0 and 1 (Sub, Mul, Add exactly so) as a partial activation
/// (<see cref="ChannelMaskedActivation.KeptChannels"/>). Anything else is an <see cref="OnnxFormatException"/> naming
/// the operator and its node. The server imports its model this way.
/// </summary>
public static class OnnxImporter
{
    public const int MinimumOpset = 11;

    /// <summary>The operators a model may use (each with the restrictions the summary names).</summary>
    public static IReadOnlyList<string> SupportedOperators { get; } =
    [
        "Conv", "BatchNormalization", "Relu", "Clip(0, 6)", "Add", "AveragePool", "MaxPool", "GlobalAveragePool", "Gemm",
        "MatMul", "Flatten", "Reshape", "Slice", "Pad", "Identity", "Dropout",
        "Sub, Mul, Add as x + M ⊙ (Relu(x) − x) or with Clip(0, 6) (M a [C, 1, 1] mask of 0 and 1: a partial activation)",
    ];

    public static ModelGraph Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxFormatException($"cannot read ONNX file '{path}': {e.Message}", e);
        }
        return Import(bytes);
    }

    public static ModelGraph Import(byte[] bytes) => ImportWithMetadata(bytes).Graph;

    /// <summary>The model and the dataset its metadata names (<see cref="OnnxExporter.DatasetKey"/>; null when it names none).</summary>
    public static (ModelGraph Graph, string? Dataset) ImportWithMetadata(byte[] bytes) => Read(bytes, zeroWeightBudget: null);

    /// <summary>
    /// A public architecture (<see cref="OnnxExporter.ExportArchitecture"/>), typically from a server: weight
    /// initializers without data become zeros. They are allocated only up to <paramref name="maxParameters"/> values in
    /// all, counted from the dimensions before anything is allocated, since the dimensions come from the peer.
    /// </summary>
    public static (ModelGraph Graph, string? Dataset) ImportArchitecture(byte[] bytes, long maxParameters = MaxArchitectureParameters) =>
        Read(bytes, zeroWeightBudget: maxParameters);

    /// <summary>The most weights an architecture may declare: 2^26 (ResNet-50 has 25.6 million).</summary>
    public const long MaxArchitectureParameters = 1L << 26;

    private static (ModelGraph Graph, string? Dataset) Read(byte[] bytes, long? zeroWeightBudget)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"not a valid ONNX model (protobuf parse failed: {e.Message})", e);
        }
        string? dataset = model.MetadataProps.LastOrDefault(p => p.Key == OnnxExporter.DatasetKey)?.Value;
        return (new Reader(model, zeroWeightBudget).Read(), string.IsNullOrWhiteSpace(dataset) ? null : dataset);
    }

    private sealed class Reader(ModelProto model, long? zeroWeightBudget)
    {
        private long _zeroWeightsLeft = zeroWeightBudget ?? 0;

        private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (string Input, Padding2d Padding)> _pendingSpatialPads = new(StringComparer.Ordinal);
        private readonly List<Node> _nodes = new();
        private readonly Dictionary<string, TensorShape> _shapes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
        private readonly HashSet<NodeProto> _partOfPartialActivation = new(ReferenceEqualityComparer.Instance);

        public ModelGraph Read()
        {
            var graph = model.Graph;
            if (graph is null || (graph.Node.Count == 0 && graph.Input.Count == 0))
                throw new OnnxFormatException("the ONNX model has no graph");
            CheckOpset();
            foreach (var t in graph.Initializer)
                _initializers[t.Name] = t;
            var inputs = graph.Input.Where(i => !_initializers.ContainsKey(i.Name)).ToList();
            if (inputs.Count != 1)
                throw new OnnxFormatException($"the model must have exactly one non-constant input, it has {inputs.Count}");
            if (graph.Output.Count != 1)
                throw new OnnxFormatException($"the model must have exactly one output, it has {graph.Output.Count}");
            string inputName = inputs[0].Name;
            var inputShape = InputShape(inputs[0]);
            _shapes[inputName] = inputShape;
            for (int i = 0; i < graph.Node.Count; i++)
                if (!_partOfPartialActivation.Contains(graph.Node[i]))
                    ReadNode(graph.Node[i], i);
            string output = Resolve(graph.Output[0].Name);
            if (_pendingSpatialPads.ContainsKey(output))
                throw new OnnxFormatException($"the model output '{output}' is a spatial Pad, which is supported only directly before a Conv");
            var result = new ModelGraph(string.IsNullOrEmpty(graph.Name) ? "onnx-model" : graph.Name,
                !string.IsNullOrEmpty(model.DocString) ? model.DocString : $"imported from ONNX ({(string.IsNullOrEmpty(model.ProducerName) ? "unknown producer" : model.ProducerName)})",
                inputName, inputShape, _nodes, output);
            return FuseShortcuts(result);
        }

        private void CheckOpset()
        {
            var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
            if (opset is null)
                throw new OnnxFormatException("the model imports no default-domain (ai.onnx) opset");
            if (opset.Version < MinimumOpset)
                throw new OnnxFormatException($"the model uses opset {opset.Version}; CoPriv reads opset {MinimumOpset} or later");
        }

        private static TensorShape InputShape(ValueInfoProto input)
        {
            var tensor = input.Type?.TensorType;
            if (tensor is null)
                throw new OnnxFormatException($"model input '{input.Name}' is not a tensor");
            if (tensor.ElemType != (int)TensorProto.Types.DataType.Float)
                throw new OnnxFormatException($"model input '{input.Name}' has element type {tensor.ElemType}; CoPriv takes float (1) inputs");
            var dims = tensor.Shape?.Dim;
            if (dims is null || dims.Count != 4)
                throw new OnnxFormatException($"model input '{input.Name}' must be [batch, channels, height, width], got rank {dims?.Count ?? 0}");
            if (dims[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dims[0].DimValue != 1)
                throw new OnnxFormatException($"model input '{input.Name}' has batch size {dims[0].DimValue}; CoPriv runs one image (batch 1)");
            var sizes = new int[3];
            for (int i = 1; i < 4; i++)
            {
                if (dims[i].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dims[i].DimValue <= 0)
                    throw new OnnxFormatException($"model input '{input.Name}' needs fixed positive channel, height and width sizes");
                sizes[i - 1] = checked((int)dims[i].DimValue);
            }
            return new TensorShape(sizes);
        }

        private string Resolve(string name) => _aliases.TryGetValue(name, out var a) ? a : name;

        private void ReadNode(NodeProto p, int index)
        {
            string name = string.IsNullOrEmpty(p.Name) ? $"{p.OpType}_{index}" : p.Name;
            if (!_nodeNames.Add(name)) name = $"{name}_{index}";
            if (p.Domain is not ("" or "ai.onnx"))
                throw new OnnxFormatException(
                    $"node '{name}' uses operator '{p.OpType}' of domain '{p.Domain}', which CoPriv does not support; supported: the default domain's {string.Join(", ", SupportedOperators)}");
            if (p.Output.Count == 0)
                throw new OnnxFormatException($"node '{name}' ({p.OpType}) has no output");
            var inputs = p.Input.Select(Resolve).ToList();
            string output = p.Output[0];
            switch (p.OpType)
            {
                case "Identity":
                case "Dropout":
                    _aliases[output] = Activation(name, inputs, 0);
                    return;
                case "Conv":
                {
                    // ReadConv folds a spatial Pad feeding the Conv into its padding and points inputs[0] at the Pad's input.
                    var conv = ReadConv(name, p, inputs);
                    Emit(name, conv, output, Activation(name, inputs, 0));
                    return;
                }
                case "BatchNormalization":
                    Emit(name, new BatchNormalization(Floats(name, inputs, 1), Floats(name, inputs, 2), Floats(name, inputs, 3),
                        Floats(name, inputs, 4), Attribute(p, "epsilon")?.F ?? 1e-5), output, Activation(name, inputs, 0));
                    return;
                case "Relu":
                    EmitActivation(name, Relu.Instance, output, Activation(name, inputs, 0));
                    return;
                case "Clip":
                    EmitActivation(name, ReadClip(name, p, inputs), output, Activation(name, inputs, 0));
                    return;
                case "Add":
                    ReadAdd(name, inputs, output);
                    return;
                case "AveragePool":
                    RequireAttribute(name, p, "ceil_mode", 0);
                    RequireNoAutoPad(name, p);
                    var avg = new AveragePool(Pair(name, p, "kernel_shape", null), Pair(name, p, "kernel_shape", null, 1),
                        Pair(name, p, "strides", 1), Pair(name, p, "strides", 1, 1), Pads(name, p));
                    if (!avg.Padding.IsZero && (Attribute(p, "count_include_pad")?.I ?? 0) == 0)
                        throw new OnnxFormatException($"node '{name}': AveragePool with padding must count the padding (count_include_pad = 1)");
                    Emit(name, avg, output, Activation(name, inputs, 0));
                    return;
                case "MaxPool":
                    RequireAttribute(name, p, "ceil_mode", 0);
                    RequireNoAutoPad(name, p);
                    RequireAll(name, p, "dilations", 1);
                    if (p.Output.Count > 1) throw new OnnxFormatException($"node '{name}': MaxPool with an indices output is not supported");
                    Emit(name, new MaxPool(Pair(name, p, "kernel_shape", null), Pair(name, p, "kernel_shape", null, 1),
                        Pair(name, p, "strides", 1), Pair(name, p, "strides", 1, 1), Pads(name, p)), output, Activation(name, inputs, 0));
                    return;
                case "GlobalAveragePool":
                    Emit(name, GlobalAveragePool.Instance, output, Activation(name, inputs, 0));
                    return;
                case "Flatten":
                    if ((Attribute(p, "axis")?.I ?? 1) != 1)
                        throw new OnnxFormatException($"node '{name}': Flatten is supported with axis = 1 only");
                    Emit(name, Flatten.Instance, output, Activation(name, inputs, 0));
                    return;
                case "Reshape":
                {
                    var target = Int64s(name, inputs, 1);
                    string x = Activation(name, inputs, 0);
                    if (target.Length != 2 || target[0] != 1 || (target[1] != -1 && target[1] != _shapes[x].ElementCount))
                        throw new OnnxFormatException($"node '{name}': Reshape is supported only as a flatten to [1, -1], got [{string.Join(", ", target)}]");
                    Emit(name, Flatten.Instance, output, x);
                    return;
                }
                case "Gemm":
                    Emit(name, ReadGemm(name, p, inputs), output, Activation(name, inputs, 0));
                    return;
                case "MatMul":
                {
                    var (dims, w) = Constant(name, inputs, 1);
                    if (dims.Length != 2)
                        throw new OnnxFormatException($"node '{name}': MatMul needs a 2-D constant weight, got dims [{string.Join(", ", dims)}]");
                    Emit(name, new FullyConnected((int)dims[0], (int)dims[1], Transpose(w, (int)dims[0], (int)dims[1])), output, Activation(name, inputs, 0));
                    return;
                }
                case "Slice":
                    Emit(name, ReadSlice(name, inputs), output, Activation(name, inputs, 0));
                    return;
                case "Pad":
                    ReadPad(name, p, inputs, output);
                    return;
                default:
                    throw new OnnxFormatException(
                        $"node '{name}' uses operator '{p.OpType}', which CoPriv does not support; supported: {string.Join(", ", SupportedOperators)}");
            }
        }

        private void Emit(string name, LayerOperator op, string output, params string[] inputs)
        {
            var shapes = inputs.Select(i => _shapes[i]).ToArray();
            _shapes[output] = op.InferShape(name, shapes);
            _nodes.Add(new Node(name, op, inputs, output));
        }

        /// <summary>An activation input: produced by the model input or an earlier node (not a constant).</summary>
        private string Activation(string node, List<string> inputs, int index)
        {
            if (index >= inputs.Count || inputs[index].Length == 0)
                throw new OnnxFormatException($"node '{node}' lacks input {index}");
            string name = inputs[index];
            if (_pendingSpatialPads.ContainsKey(name))
                throw new OnnxFormatException($"node '{node}' reads the spatial Pad output '{name}'; a spatial Pad is supported only directly before a Conv");
            if (!_shapes.ContainsKey(name))
                throw new OnnxFormatException(_initializers.ContainsKey(name)
                    ? $"node '{node}': input {index} ('{name}') is a constant where CoPriv expects an activation"
                    : $"node '{node}' reads '{name}', which no earlier node produces");
            return name;
        }

        private Convolution ReadConv(string name, NodeProto p, List<string> inputs)
        {
            RequireNoAutoPad(name, p);
            RequireAll(name, p, "dilations", 1);
            var (dims, weights) = Constant(name, inputs, 1);
            if (dims.Length != 4)
                throw new OnnxFormatException($"node '{name}': Conv weight must be 4-D [out, in/groups, kh, kw], got [{string.Join(", ", dims)}]");
            int groups = (int)(Attribute(p, "group")?.I ?? 1);
            var padding = Pads(name, p);
            string x = inputs[0];
            if (_pendingSpatialPads.Remove(x, out var pad))
            {
                var extra = pad.Padding;
                padding = new Padding2d(padding.Top + extra.Top, padding.Left + extra.Left, padding.Bottom + extra.Bottom, padding.Right + extra.Right);
                inputs[0] = pad.Input;
            }
            double[]? bias = inputs.Count > 2 && inputs[2].Length > 0 ? Floats(name, inputs, 2) : null;
            try
            {
                return new Convolution((int)dims[1] * groups, (int)dims[0], (int)dims[2], (int)dims[3], weights, bias,
                    Pair(name, p, "strides", 1), Pair(name, p, "strides", 1, 1), padding, groups);
            }
            catch (ArgumentException e)
            {
                throw new OnnxFormatException($"node '{name}': {e.Message}", e);
            }
        }

        private ChannelMaskedActivation ReadClip(string name, NodeProto p, List<string> inputs)
        {
            double min = inputs.Count > 1 && inputs[1].Length > 0 ? Floats(name, inputs, 1).Single() : Attribute(p, "min")?.F ?? double.NegativeInfinity;
            double max = inputs.Count > 2 && inputs[2].Length > 0 ? Floats(name, inputs, 2).Single() : Attribute(p, "max")?.F ?? double.PositiveInfinity;
            if (min == 0 && max == Relu6.UpperBound) return Relu6.Instance;
            if (min == 0 && double.IsPositiveInfinity(max)) return Relu.Instance;
            throw new OnnxFormatException($"node '{name}': Clip to [{min}, {max}] is not supported (only [0, 6] as ReLU6 and [0, ∞) as ReLU)");
        }

        /// <summary>
        /// The activation, or, when its output starts x + M ⊙ (σ(x) − x) (what <see cref="OnnxExporter"/> writes for a
        /// partial activation), the activation on the channels where M is 1, under σ's name and with the Add's output;
        /// the Sub, Mul and Add are then not read again. Each intermediate must feed only the next node of the pattern.
        /// </summary>
        private void EmitActivation(string name, ChannelMaskedActivation activation, string activated, string x)
        {
            if (SoleConsumer(activated) is not { OpType: "Sub" } sub || sub.Input.Count != 2 || sub.Input[0] != activated
                || Resolve(sub.Input[1]) != x
                || SoleConsumer(sub.Output[0]) is not { OpType: "Mul" } mul || mul.Input.Count != 2 || !mul.Input.Contains(sub.Output[0])
                || SoleConsumer(mul.Output[0]) is not { OpType: "Add" } add || add.Input.Count != 2 || !add.Input.Contains(mul.Output[0])
                || Resolve(add.Input[add.Input[0] == mul.Output[0] ? 1 : 0]) != x)
            {
                Emit(name, activation, activated, x);
                return;
            }
            string mulName = string.IsNullOrEmpty(mul.Name) ? $"Mul after '{name}'" : mul.Name;
            var maskInputs = mul.Input.ToList();
            int maskIndex = maskInputs[0] == sub.Output[0] ? 1 : 0;
            if (!_initializers.ContainsKey(maskInputs[maskIndex]))
                throw new OnnxFormatException($"node '{mulName}': the mask of a partial activation must be a constant (initializer)");
            var (dims, mask) = Constant(mulName, maskInputs, maskIndex);
            var shape = _shapes[x];
            long[] channelDims = dims.Length == 4 && dims[0] == 1 ? dims[1..] : dims;
            if (!shape.IsFeatureMap || !channelDims.SequenceEqual([shape.Channels, 1L, 1L]) || mask.Any(v => v is not (0.0 or 1.0)))
                throw new OnnxFormatException(
                    $"node '{mulName}': the mask of a partial activation must be a [C, 1, 1] (or [1, C, 1, 1]) constant of 0 and 1 for the input {shape}, got dims [{string.Join(", ", dims)}]");
            var kept = mask.Select(v => v == 1).ToArray();
            LayerOperator partial = activation is Relu6 ? new Relu6(kept) : new Relu(kept);
            Emit(name, partial, add.Output[0], x);
            _partOfPartialActivation.UnionWith([sub, mul, add]);
        }

        /// <summary>The one node reading <paramref name="tensor"/>, or null when none, several, or it is the model's output.</summary>
        private NodeProto? SoleConsumer(string tensor)
        {
            if (model.Graph.Output.Any(o => o.Name == tensor)) return null;
            var readers = model.Graph.Node.Where(n => n.Input.Contains(tensor)).Take(2).ToList();
            return readers.Count == 1 ? readers[0] : null;
        }

        private void ReadAdd(string name, List<string> inputs, string output)
        {
            int constant = inputs.FindIndex(i => _initializers.ContainsKey(i));
            if (constant < 0)
            {
                Emit(name, Add.Instance, output, Activation(name, inputs, 0), Activation(name, inputs, 1));
                return;
            }
            string x = Activation(name, inputs, 1 - constant);
            var (dims, bias) = Constant(name, inputs, constant);
            if (IsBiasMapOf(dims, _shapes[x]))
            {
                Emit(name, new BiasMap(_shapes[x], bias), output, x);
                return;
            }
            var producer = _nodes.LastOrDefault(n => n.Output == x);
            if (producer?.Operator is not FullyConnected { Bias: null } fc || bias.Length != fc.OutFeatures
                || _nodes.Any(n => n.Inputs.Contains(x)))
                throw new OnnxFormatException(
                    $"node '{name}': Add of a constant is supported only as the bias of the MatMul it directly follows or as a [1, C, H, W] (or [C, H, W]) bias map of the feature map's shape");
            _nodes.Remove(producer);
            _nodes.Add(new Node(producer.Name, fc.WithParameters(fc.Weights, bias), producer.Inputs, output));
            _shapes[output] = _shapes[x];
        }

        /// <summary>A constant of the feature map's full shape, with or without the batch axis: a per-position bias.</summary>
        private static bool IsBiasMapOf(long[] dims, TensorShape activation) =>
            activation.IsFeatureMap && (dims.Length == 4 && dims[0] == 1 ? dims[1..] : dims)
                .SequenceEqual(activation.Dimensions.Select(d => (long)d));

        private FullyConnected ReadGemm(string name, NodeProto p, List<string> inputs)
        {
            if ((Attribute(p, "alpha")?.F ?? 1f) != 1f || (Attribute(p, "beta")?.F ?? 1f) != 1f || (Attribute(p, "transA")?.I ?? 0) != 0)
                throw new OnnxFormatException($"node '{name}': Gemm is supported with alpha = beta = 1 and transA = 0 only");
            var (dims, w) = Constant(name, inputs, 1);
            if (dims.Length != 2)
                throw new OnnxFormatException($"node '{name}': Gemm needs a 2-D constant B, got [{string.Join(", ", dims)}]");
            bool transB = (Attribute(p, "transB")?.I ?? 0) != 0;
            int outF = (int)(transB ? dims[0] : dims[1]), inF = (int)(transB ? dims[1] : dims[0]);
            var weights = transB ? w : Transpose(w, inF, outF);
            double[]? bias = inputs.Count > 2 && inputs[2].Length > 0 ? Floats(name, inputs, 2) : null;
            if (bias is not null && bias.Length != outF)
                throw new OnnxFormatException($"node '{name}': Gemm bias has {bias.Length} values, expected {outF}");
            return new FullyConnected(inF, outF, weights, bias);
        }

        private ZeroPadShortcut ReadSlice(string name, List<string> inputs)
        {
            var starts = Int64s(name, inputs, 1);
            var axes = inputs.Count > 3 && inputs[3].Length > 0 ? Int64s(name, inputs, 3) : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            var steps = inputs.Count > 4 && inputs[4].Length > 0 ? Int64s(name, inputs, 4) : starts.Select(_ => 1L).ToArray();
            var ends = Int64s(name, inputs, 2);
            var shape = _shapes[Activation(name, inputs, 0)];
            int stride = 0;
            for (int i = 0; i < axes.Length; i++)
            {
                long axis = axes[i] < 0 ? axes[i] + 4 : axes[i];
                long dim = axis == 0 ? 1 : shape[(int)axis - 1];
                bool whole = starts[i] == 0 && ends[i] >= dim;
                if (!whole || (axis is 0 or 1 && steps[i] != 1) || (axis is 2 or 3 && (stride != 0 && steps[i] != stride)))
                    throw new OnnxFormatException($"node '{name}': Slice is supported only as a spatial subsample (start 0, whole axis, equal steps on height and width)");
                if (axis is 2 or 3) stride = (int)steps[i];
            }
            if (stride <= 0 || axes.Select(a => a < 0 ? a + 4 : a).Count(a => a is 2 or 3) != 2)
                throw new OnnxFormatException($"node '{name}': Slice is supported only as a spatial subsample with a positive step on both height and width");
            return new ZeroPadShortcut(stride, 0, 0);
        }

        private void ReadPad(string name, NodeProto p, List<string> inputs, string output)
        {
            string mode = Attribute(p, "mode")?.S.ToStringUtf8() ?? "constant";
            if (mode != "constant")
                throw new OnnxFormatException($"node '{name}': Pad mode '{mode}' is not supported (only constant zero padding)");
            if (inputs.Count > 2 && inputs[2].Length > 0 && Floats(name, inputs, 2).Any(v => v != 0))
                throw new OnnxFormatException($"node '{name}': Pad with a non-zero constant is not supported");
            var pads = Int64s(name, inputs, 1);
            if (pads.Length != 8 || pads.Any(v => v < 0))
                throw new OnnxFormatException($"node '{name}': Pad needs 8 non-negative pads for a 4-D tensor, got [{string.Join(", ", pads)}]");
            string x = Activation(name, inputs, 0);
            bool spatial = pads[2] + pads[3] + pads[6] + pads[7] > 0, channel = pads[1] + pads[5] > 0;
            if (pads[0] + pads[4] > 0 || (spatial && channel))
                throw new OnnxFormatException($"node '{name}': Pad may pad either the channel axis or the spatial axes, not the batch or both");
            if (spatial)
            {
                _pendingSpatialPads[output] = (x, new Padding2d((int)pads[2], (int)pads[3], (int)pads[6], (int)pads[7]));
                return;
            }
            Emit(name, new ZeroPadShortcut(1, (int)pads[1], (int)pads[5]), output, x);
        }

        /// <summary>Merges a subsample (Slice) read only by a channel padding (Pad) into one option-A shortcut node.</summary>
        private static ModelGraph FuseShortcuts(ModelGraph graph)
        {
            var nodes = graph.Nodes.ToList();
            for (int i = 0; i < nodes.Count; i++)
            {
                if (nodes[i].Operator is not ZeroPadShortcut { PadBefore: 0, PadAfter: 0 } slice) continue;
                var consumers = nodes.Where(n => n.Inputs.Contains(nodes[i].Output)).ToList();
                if (consumers.Count != 1 || consumers[0].Operator is not ZeroPadShortcut { Stride: 1 } pad || nodes[i].Output == graph.OutputName)
                    continue;
                int j = nodes.IndexOf(consumers[0]);
                nodes[j] = new Node(consumers[0].Name, new ZeroPadShortcut(slice.Stride, pad.PadBefore, pad.PadAfter), nodes[i].Inputs, consumers[0].Output);
                nodes.RemoveAt(i--);
            }
            return graph.WithNodes(nodes);
        }

        private static AttributeProto? Attribute(NodeProto p, string name) => p.Attribute.FirstOrDefault(a => a.Name == name);

        private static void RequireAttribute(string node, NodeProto p, string name, long expected)
        {
            if (Attribute(p, name) is { } a && a.I != expected)
                throw new OnnxFormatException($"node '{node}': {p.OpType} with {name} = {a.I} is not supported (only {expected})");
        }

        private static void RequireAll(string node, NodeProto p, string name, long expected)
        {
            if (Attribute(p, name) is { } a && a.Ints.Any(v => v != expected))
                throw new OnnxFormatException($"node '{node}': {p.OpType} with {name} [{string.Join(", ", a.Ints)}] is not supported (only {expected})");
        }

        private static void RequireNoAutoPad(string node, NodeProto p)
        {
            if (Attribute(p, "auto_pad") is { } a && a.S.ToStringUtf8() is not ("NOTSET" or ""))
                throw new OnnxFormatException($"node '{node}': {p.OpType} with auto_pad = {a.S.ToStringUtf8()} is not supported; give explicit pads");
        }

        private static int Pair(string node, NodeProto p, string name, int? fallback, int index = 0)
        {
            var a = Attribute(p, name);
            if (a is null)
                return fallback ?? throw new OnnxFormatException($"node '{node}': {p.OpType} lacks the attribute '{name}'");
            if (a.Ints.Count != 2)
                throw new OnnxFormatException($"node '{node}': {name} must have 2 values (height, width), got {a.Ints.Count}");
            return checked((int)a.Ints[index]);
        }

        private static Padding2d Pads(string node, NodeProto p)
        {
            var a = Attribute(p, "pads");
            if (a is null) return Padding2d.None;
            if (a.Ints.Count != 4 || a.Ints.Any(v => v < 0))
                throw new OnnxFormatException($"node '{node}': pads must be 4 non-negative values [top, left, bottom, right], got [{string.Join(", ", a.Ints)}]");
            return new Padding2d((int)a.Ints[0], (int)a.Ints[1], (int)a.Ints[2], (int)a.Ints[3]);
        }

        private (long[] Dims, double[] Values) Constant(string node, List<string> inputs, int index)
        {
            if (index >= inputs.Count || !_initializers.TryGetValue(inputs[index], out var t))
                throw new OnnxFormatException($"node '{node}': input {index} must be a constant (initializer)");
            return (t.Dims.ToArray(), TensorValues(t));
        }

        private double[] Floats(string node, List<string> inputs, int index) => Constant(node, inputs, index).Values;

        private long[] Int64s(string node, List<string> inputs, int index)
        {
            if (index >= inputs.Count || !_initializers.TryGetValue(inputs[index], out var t))
                throw new OnnxFormatException($"node '{node}': input {index} must be a constant (initializer)");
            long count = ElementCount(t);
            long[] values = t.DataType switch
            {
                (int)TensorProto.Types.DataType.Int64 when t.RawData.Length > 0 => Raw(t, 8, count, b => BinaryPrimitives.ReadInt64LittleEndian(b)),
                (int)TensorProto.Types.DataType.Int64 => t.Int64Data.ToArray(),
                (int)TensorProto.Types.DataType.Int32 when t.RawData.Length > 0 => Raw(t, 4, count, b => (long)BinaryPrimitives.ReadInt32LittleEndian(b)),
                (int)TensorProto.Types.DataType.Int32 => t.Int32Data.Select(v => (long)v).ToArray(),
                _ => throw new OnnxFormatException($"initializer '{t.Name}' has data type {t.DataType}; expected an integer tensor"),
            };
            CheckCount(t, values.Length, count);
            return values;
        }

        private double[] TensorValues(TensorProto t)
        {
            if (t.DataLocation != 0)
                throw new OnnxFormatException($"initializer '{t.Name}' keeps its data in an external file, which CoPriv does not read");
            long count = ElementCount(t);
            if (zeroWeightBudget is { } budget && t.DataType == (int)TensorProto.Types.DataType.Float && t.RawData.Length == 0 && t.FloatData.Count == 0)
            {
                if (count > _zeroWeightsLeft)
                    throw new OnnxFormatException($"the architecture declares more than {budget} weights (initializer '{t.Name}' has {count})");
                _zeroWeightsLeft -= count;
                return new double[count];
            }
            double[] values = t.DataType switch
            {
                (int)TensorProto.Types.DataType.Float when t.RawData.Length > 0 => Raw(t, 4, count, b => (double)BinaryPrimitives.ReadSingleLittleEndian(b)),
                (int)TensorProto.Types.DataType.Float => t.FloatData.Select(v => (double)v).ToArray(),
                (int)TensorProto.Types.DataType.Double when t.RawData.Length > 0 => Raw(t, 8, count, b => BinaryPrimitives.ReadDoubleLittleEndian(b)),
                (int)TensorProto.Types.DataType.Double => t.DoubleData.ToArray(),
                _ => throw new OnnxFormatException($"initializer '{t.Name}' has data type {t.DataType}; CoPriv reads float (1) and double (11) weights"),
            };
            CheckCount(t, values.Length, count);
            return values;
        }

        private delegate T Decoder<T>(ReadOnlySpan<byte> bytes);

        private static T[] Raw<T>(TensorProto t, int size, long count, Decoder<T> decode)
        {
            var bytes = t.RawData.Span;
            if (bytes.Length != count * size)
                throw new OnnxFormatException($"initializer '{t.Name}' has {bytes.Length} raw bytes, dims [{string.Join(", ", t.Dims)}] need {count * size}");
            var values = new T[count];
            for (int i = 0; i < values.Length; i++) values[i] = decode(bytes.Slice(i * size, size));
            return values;
        }

        /// <summary>The product of the dimensions, refused when one is negative or the product passes 2^31 values.</summary>
        private static long ElementCount(TensorProto t)
        {
            long count = 1;
            foreach (long d in t.Dims)
            {
                if (d < 0 || (d > 0 && count > int.MaxValue / d))
                    throw new OnnxFormatException($"initializer '{t.Name}' has dims [{string.Join(", ", t.Dims)}]: negative or more than {int.MaxValue} values");
                count *= d;
            }
            return count;
        }

        private static void CheckCount(TensorProto t, int actual, long expected)
        {
            if (actual != expected)
                throw new OnnxFormatException($"initializer '{t.Name}' has {actual} values, dims [{string.Join(", ", t.Dims)}] need {expected}");
        }

        private static double[] Transpose(double[] w, int rows, int columns)
        {
            var t = new double[w.Length];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                    t[c * rows + r] = w[r * columns + c];
            return t;
        }
    }
}
