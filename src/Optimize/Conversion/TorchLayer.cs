using CoPriv.Models.Graph;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CoPriv.Optimize;

/// <summary>
/// One node of a <see cref="TorchGraphModule"/>: its computation on a batch (the graph's [C, H, W] becomes
/// [N, C, H, W], a vector [F] becomes [N, F]) and, for a node with parameters, the libtorch module holding them and
/// the operator they make back in the graph.
/// </summary>
internal abstract class TorchLayer
{
    /// <summary>The libtorch module holding this node's parameters and buffers, or null.</summary>
    public virtual nn.Module? Parameters => null;

    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>The graph operator with the current parameters (the original one when the node has none).</summary>
    public abstract LayerOperator ToOperator();

    public static TorchLayer For(ModelGraph graph, Node node, ScalarType dtype) => node.Operator switch
    {
        Convolution conv => new TorchConvolution(conv, dtype),
        BatchNormalization bn => new TorchBatchNorm(bn, dtype, vector: graph.ShapeOf(node.Inputs[0]).Rank == 1),
        FullyConnected fc => new TorchFullyConnected(fc, dtype),
        BiasMap map => new TorchBiasMap(map, dtype),
        Relu or Relu6 => throw new InvalidOperationException("activations are the module's own nodes"),
        Add => new Stateless(node.Operator, x => x[0] + x[1]),
        AveragePool pool => new Stateless(pool, x => F.avg_pool2d(ZeroPad(x[0], pool.Padding, 0),
            [pool.KernelHeight, pool.KernelWidth], [pool.StrideHeight, pool.StrideWidth], count_include_pad: true)),
        // Padded positions never win a maximum: pad with −∞ (the graph's and ONNX's meaning).
        MaxPool pool => new Stateless(pool, x => F.max_pool2d(ZeroPad(x[0], pool.Padding, double.NegativeInfinity),
            [pool.KernelHeight, pool.KernelWidth], [pool.StrideHeight, pool.StrideWidth])),
        GlobalAveragePool => new Stateless(node.Operator, x => x[0].mean([2, 3], keepdim: true)),
        Flatten => new Stateless(node.Operator, x => x[0].flatten(1)),
        ZeroPadShortcut shortcut => new Stateless(shortcut, x => F.pad(
            x[0].slice(2, 0, x[0].shape[2], shortcut.Stride).slice(3, 0, x[0].shape[3], shortcut.Stride),
            [0, 0, 0, 0, shortcut.PadBefore, shortcut.PadAfter])),
        _ => throw new NotSupportedException(
            $"node '{node.Name}': operator {node.Operator.Kind} ({node.Operator.GetType().Name}) has no TorchSharp counterpart in the converter"),
    };

    private static Tensor ZeroPad(Tensor x, Padding2d padding, double value) => padding.IsZero
        ? x
        : F.pad(x, [padding.Left, padding.Right, padding.Top, padding.Bottom], value: value);

    private sealed class Stateless(LayerOperator op, Func<IReadOnlyList<Tensor>, Tensor> forward) : TorchLayer
    {
        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => forward(inputs);
        public override LayerOperator ToOperator() => op;
    }

    private sealed class TorchConvolution : TorchLayer
    {
        private readonly Convolution _op;
        private readonly TorchSharp.Modules.Conv2d _conv;
        private readonly bool _padSeparately;

        public TorchConvolution(Convolution op, ScalarType dtype)
        {
            _op = op;
            var p = op.Padding;
            // libtorch pads symmetrically only; TensorFlow-style "SAME" padding (SCI's stride-2 convs) is padded first.
            _padSeparately = p.Top != p.Bottom || p.Left != p.Right;
            _conv = nn.Conv2d(op.InChannels, op.OutChannels, (op.KernelHeight, op.KernelWidth),
                stride: (op.StrideHeight, op.StrideWidth), padding: _padSeparately ? (0, 0) : (p.Top, p.Left),
                groups: op.Groups, bias: op.Bias is not null, dtype: dtype);
            TorchTensors.Assign(_conv.weight!, op.Weights);
            if (op.Bias is not null) TorchTensors.Assign(_conv.bias!, op.Bias);
        }

        public override nn.Module Parameters => _conv;

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) =>
            _conv.forward(_padSeparately ? ZeroPad(inputs[0], _op.Padding, 0) : inputs[0]);

        public override LayerOperator ToOperator() => _op.WithParameters(
            TorchTensors.ToDoubles(_conv.weight!), _op.Bias is null ? null : TorchTensors.ToDoubles(_conv.bias!));
    }

    private sealed class TorchBatchNorm : TorchLayer
    {
        private readonly BatchNormalization _op;
        private readonly TorchSharp.Modules.NormBase _bn;
        private readonly nn.Module<Tensor, Tensor> _forward;

        public TorchBatchNorm(BatchNormalization op, ScalarType dtype, bool vector)
        {
            _op = op;
            // The graph normalises a feature map per channel or a vector per feature; libtorch has one module for each.
            if (vector)
            {
                var bn1 = nn.BatchNorm1d(op.Channels, op.Epsilon, dtype: dtype);
                (_bn, _forward) = (bn1, bn1);
            }
            else
            {
                var bn2 = nn.BatchNorm2d(op.Channels, op.Epsilon, dtype: dtype);
                (_bn, _forward) = (bn2, bn2);
            }
            TorchTensors.Assign(_bn.weight!, op.Scale);
            TorchTensors.Assign(_bn.bias!, op.Bias);
            TorchTensors.Assign(_bn.running_mean!, op.Mean);
            TorchTensors.Assign(_bn.running_var!, op.Variance);
        }

        public override nn.Module Parameters => _bn;

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => _forward.forward(inputs[0]);

        public override LayerOperator ToOperator() => new BatchNormalization(
            TorchTensors.ToDoubles(_bn.weight!), TorchTensors.ToDoubles(_bn.bias!),
            TorchTensors.ToDoubles(_bn.running_mean!), TorchTensors.ToDoubles(_bn.running_var!), _op.Epsilon);
    }

    private sealed class TorchFullyConnected : TorchLayer
    {
        private readonly FullyConnected _op;
        private readonly TorchSharp.Modules.Linear _linear;

        public TorchFullyConnected(FullyConnected op, ScalarType dtype)
        {
            _op = op;
            _linear = nn.Linear(op.InFeatures, op.OutFeatures, hasBias: op.Bias is not null, dtype: dtype);
            TorchTensors.Assign(_linear.weight!, op.Weights);
            if (op.Bias is not null) TorchTensors.Assign(_linear.bias!, op.Bias);
        }

        public override nn.Module Parameters => _linear;

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => _linear.forward(inputs[0]);

        public override LayerOperator ToOperator() => _op.WithParameters(
            TorchTensors.ToDoubles(_linear.weight!), _op.Bias is null ? null : TorchTensors.ToDoubles(_linear.bias!));
    }

    /// <summary>
    /// A per-position constant (a merged block's border term) as a trainable [1, C, H, W] parameter: once the merged
    /// convolution is fine-tuned, its border term is a free per-position bias like any other server constant.
    /// </summary>
    private sealed class TorchBiasMap : TorchLayer
    {
        private readonly BiasMap _op;
        private readonly BiasMapModule _module;

        public TorchBiasMap(BiasMap op, ScalarType dtype)
        {
            _op = op;
            var shape = op.Shape.Dimensions.Select(d => (long)d).Prepend(1L).ToArray();
            _module = new BiasMapModule(TorchTensors.From(op.Values, shape, dtype));
        }

        public override nn.Module Parameters => _module;

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0] + _module.Values;

        public override LayerOperator ToOperator() => new BiasMap(_op.Shape, TorchTensors.ToDoubles(_module.Values));

        private sealed class BiasMapModule : nn.Module
        {
            public BiasMapModule(Tensor values) : base(nameof(BiasMap))
            {
                Values = nn.Parameter(values);
                RegisterComponents();
            }

            public TorchSharp.Modules.Parameter Values { get; }
        }
    }
}
