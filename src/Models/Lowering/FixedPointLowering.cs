using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Lowering;

/// <summary>
/// Lowers a float <see cref="ModelGraph"/> to a <see cref="LoweredProgram"/> under a <see cref="FixedPointPolicy"/>:
/// folds BatchNorm if asked, encodes the server's parameters with <see cref="FixedPoint"/>, tracks every tensor's
/// scale, and places truncations and scale-ups where the policy says. Run by the server (it has the weights); the
/// client gets <see cref="LoweredProgram.WithoutParameters"/>.
/// </summary>
public static class FixedPointLowering
{
    public static LoweredProgram Lower(ModelGraph graph, FixedPointPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        policy ??= FixedPointPolicy.Default;
        policy.Validate();
        if (policy.BatchNorm == BatchNormLowering.FoldIntoConvolution)
            graph = BatchNormFolding.Fold(graph);
        return new Lowerer(graph, policy).Run();
    }

    private sealed record Value(string Name, TensorShape Shape, int Scale, bool NonNegative);

    private sealed class Lowerer(ModelGraph graph, FixedPointPolicy policy)
    {
        private readonly List<RingOperation> _ops = new();
        private readonly Dictionary<string, Value> _native = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, int), Value> _rescaled = new();
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly Ring _ring = policy.Ring;
        private readonly int _s = policy.Scale;

        public LoweredProgram Run()
        {
            _names.Add(graph.InputName);
            _native[graph.InputName] = new Value(graph.InputName, graph.InputShape, _s, false);
            foreach (var node in graph.Nodes)
                _native[node.Output] = LowerNode(node);
            var logits = _native[graph.OutputName];
            if (policy.AppendArgMax)
                Emit(new RingArgMax(Unique("argmax"), graph.OutputName, logits.Name, Unique("prediction")));
            if (_ops.Count == 0)
                throw new InvalidModelException($"model '{graph.Name}' has no operations to lower");
            return new LoweredProgram(graph.Name, policy, graph.InputName, graph.InputShape, _ops, logits.Name, true);
        }

        private Value LowerNode(Node node)
        {
            var shape = graph.ShapeOf(node.Output);
            switch (node.Operator)
            {
                case Convolution conv:
                {
                    var input = AtScale(node, _native[node.Inputs[0]], _s);
                    var geometry = conv.GeometryFor(input.Shape);
                    var algorithm = policy.SelectConvolution(geometry)
                        ?? throw new InvalidOperationException($"node '{node.Name}': the policy selected no convolution algorithm");
                    if (!algorithm.Supports(geometry))
                        throw new InvalidOperationException($"node '{node.Name}': convolution algorithm '{algorithm.Name}' does not support {geometry}");
                    int outScale = CheckScale(node, 2 * _s + algorithm.ExtraScaleBits(geometry));
                    var op = new RingConvolution(node.Name, node.Name, input.Name, Unique(node.Output), geometry, algorithm,
                        Encode(conv.Weights, _s), conv.Bias is null ? null : Encode(conv.Bias, outScale), _s, _s);
                    return AfterProduct(node, Emit(op));
                }
                case FullyConnected fc:
                {
                    var input = AtScale(node, _native[node.Inputs[0]], _s);
                    CheckScale(node, 2 * _s);
                    var op = new RingFullyConnected(node.Name, node.Name, input.Name, Unique(node.Output), fc.InFeatures, fc.OutFeatures,
                        Encode(fc.Weights, _s), fc.Bias is null ? null : Encode(fc.Bias, 2 * _s), _s, _s);
                    return AfterProduct(node, Emit(op));
                }
                case BatchNormalization bn:
                {
                    var input = policy.TruncateBeforeBatchNorm || !policy.TruncateAfterRelu
                        ? AtScale(node, _native[node.Inputs[0]], _s)
                        : _native[node.Inputs[0]];
                    int outScale = CheckScale(node, input.Scale + _s);
                    var multipliers = Enumerable.Range(0, bn.Channels).Select(bn.Multiplier).ToArray();
                    var shifts = Enumerable.Range(0, bn.Channels).Select(bn.Shift).ToArray();
                    var op = new RingBatchNorm(node.Name, node.Name, input.Name, Unique(node.Output), shape,
                        Encode(multipliers, _s), Encode(shifts, outScale), input.Scale, _s);
                    return AfterProduct(node, Emit(op));
                }
                case ChannelMaskedActivation activation:
                {
                    var input = policy.TruncateAfterRelu ? _native[node.Inputs[0]] : AtScale(node, _native[node.Inputs[0]], _s);
                    RingOperation op = activation is Relu
                        ? new RingRelu(node.Name, node.Name, input.Name, Unique(node.Output), shape, input.Scale, activation.KeptChannels)
                        : new RingRelu6(node.Name, node.Name, input.Name, Unique(node.Output), shape, input.Scale, activation.KeptChannels);
                    // An identity channel passes its input on with its sign, so after a partial activation only the
                    // kept channels are known to be non-negative: the truncation says which.
                    var value = Emit(op) with { NonNegative = activation.KeepsAllChannels };
                    return value.Scale > _s
                        ? Truncate(node.Name, value, value.Scale - _s, ((RingChannelMaskedActivation)op).KeptChannels)
                        : value;
                }
                case Add:
                {
                    var a = _native[node.Inputs[0]];
                    var b = _native[node.Inputs[1]];
                    int scale = Math.Max(a.Scale, b.Scale);
                    a = AtScale(node, a, scale);
                    b = AtScale(node, b, scale);
                    var value = Emit(new RingAdd(node.Name, node.Name, a.Name, b.Name, Unique(node.Output), shape, scale));
                    return value with { NonNegative = a.NonNegative && b.NonNegative };
                }
                case BiasMap map:
                {
                    // Added at the input's own scale (2s when a product's truncation waits for the next ReLU): no
                    // truncation of its own, and the constant is rounded once, at the finest scale available.
                    var input = _native[node.Inputs[0]];
                    return Emit(new RingBiasMap(node.Name, node.Name, input.Name, Unique(node.Output), shape, input.Scale,
                        Encode(map.Values, input.Scale)));
                }
                case AveragePool pool:
                {
                    var input = _native[node.Inputs[0]];
                    return Emit(new RingAveragePool(node.Name, node.Name, input.Name, Unique(node.Output), shape, input.Scale,
                        pool)) with { NonNegative = input.NonNegative };
                }
                case GlobalAveragePool:
                {
                    var input = _native[node.Inputs[0]];
                    return Emit(new RingAveragePool(node.Name, node.Name, input.Name, Unique(node.Output), shape, input.Scale,
                        new AveragePool(input.Shape.Height, input.Shape.Width, 1, 1, Padding2d.None))) with { NonNegative = input.NonNegative };
                }
                case MaxPool pool:
                {
                    var input = _native[node.Inputs[0]];
                    return Emit(new RingMaxPool(node.Name, node.Name, input.Name, Unique(node.Output), shape, input.Scale, pool))
                        with { NonNegative = input.NonNegative };
                }
                case Flatten:
                {
                    var input = _native[node.Inputs[0]];
                    return Emit(new RingFlatten(node.Name, node.Name, input.Name, Unique(node.Output), shape, input.Scale))
                        with { NonNegative = input.NonNegative };
                }
                case ZeroPadShortcut shortcut:
                {
                    var input = _native[node.Inputs[0]];
                    return Emit(new RingZeroPadShortcut(node.Name, node.Name, input.Name, Unique(node.Output), shape, input.Scale,
                        shortcut.Stride, shortcut.PadBefore)) with { NonNegative = input.NonNegative };
                }
                default:
                    throw new NotSupportedException($"node '{node.Name}': no fixed-point lowering for operator {node.Operator.Kind}");
            }
        }

        /// <summary>A product's output: truncated at once unless the policy defers truncation to after the next ReLU.</summary>
        private Value AfterProduct(Node node, Value value) =>
            policy.TruncateAfterRelu || value.Scale == _s ? value : Truncate(node.Name, value, value.Scale - _s);

        /// <summary>The value at exactly <paramref name="scale"/>: truncated down or scaled up once, then reused.</summary>
        private Value AtScale(Node consumer, Value value, int scale)
        {
            if (value.Scale == scale) return value;
            if (_rescaled.TryGetValue((value.Name, scale), out var done)) return done;
            var source = graph.ProducerOf(value.Name)?.Name ?? consumer.Name;
            Value result = value.Scale > scale
                ? Truncate(source, value, value.Scale - scale)
                : Emit(new RingScaleUp(Unique($"{source}.scale_up"), source, value.Name, Unique($"{value.Name}.x2^{scale - value.Scale}"),
                    value.Shape, value.Scale, scale - value.Scale)) with { NonNegative = value.NonNegative };
            _rescaled[(value.Name, scale)] = result;
            return result;
        }

        private Value Truncate(string source, Value value, int shift, bool[]? nonNegativeChannels = null)
        {
            var result = Emit(new RingTruncate(Unique($"{source}.truncate"), source, value.Name, Unique($"{value.Name}.trunc"),
                value.Shape, value.Scale, shift, value.NonNegative, nonNegativeChannels)) with { NonNegative = value.NonNegative };
            _rescaled[(value.Name, result.Scale)] = result;
            return result;
        }

        private Value Emit(RingOperation op)
        {
            _ops.Add(op);
            return new Value(op.Output, op.OutputShape, op.OutputScale, false);
        }

        private int CheckScale(Node node, int scale)
        {
            if (scale >= _ring.Bits - 1)
                throw new InvalidOperationException(
                    $"node '{node.Name}': its output would need scale 2^-{scale}, which leaves no integer bits in a {_ring.Bits}-bit ring");
            return scale;
        }

        private ulong[] Encode(double[] values, int scale)
        {
            var fixedPoint = new FixedPoint(_ring, scale);
            var encoded = new ulong[values.Length];
            fixedPoint.Encode(values, encoded);
            return encoded;
        }

        private string Unique(string name)
        {
            string candidate = name;
            for (int i = 2; !_names.Add(candidate); i++) candidate = $"{name}#{i}";
            return candidate;
        }
    }
}
