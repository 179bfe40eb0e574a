using System.Numerics;
using System.Runtime.InteropServices;
using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Execution;

/// <summary>Real-valued (double) implementations of every IR operator; the float executor and BatchNorm calibration use them.</summary>
public static class FloatKernels
{
    /// <summary>Computes one operator on its inputs; <paramref name="outputShape"/> is the shape the graph inferred.</summary>
    public static Tensor Evaluate(LayerOperator op, IReadOnlyList<Tensor> inputs, TensorShape outputShape)
    {
        var x = inputs[0];
        return op switch
        {
            Convolution conv => Convolve(conv, x),
            BatchNormalization bn => Normalize(bn, x),
            ChannelMaskedActivation activation => Activate(activation, x),
            Add => Sum(x, inputs[1]),
            BiasMap map => Sum(x, new Tensor(map.Shape, map.Values)),
            AveragePool pool => AveragePool(pool, x),
            MaxPool pool => MaxPool(pool, x),
            GlobalAveragePool => GlobalAverage(x),
            Flatten => x.Reshape(outputShape),
            FullyConnected fc => Dense(fc, x),
            ZeroPadShortcut shortcut => Shortcut(shortcut, x, outputShape),
            _ => throw new NotSupportedException($"the float executor has no kernel for operator {op.Kind}"),
        };
    }

    public static Tensor Convolve(Convolution conv, Tensor input)
    {
        var g = conv.GeometryFor(input.Shape);
        var output = new Tensor(g.OutputShape);
        int pixels = g.OutputPixels, patch = g.PatchSize, outPerGroup = g.OutChannelsPerGroup;
        var columns = new double[patch * pixels];
        for (int group = 0; group < g.Groups; group++)
        {
            Im2Col.Fill<double>(input.Data, g, group, columns);
            for (int ol = 0; ol < outPerGroup; ol++)
            {
                int o = group * outPerGroup + ol;
                var row = output.Data.AsSpan(o * pixels, pixels);
                var weights = conv.Weights.AsSpan(o * patch, patch);
                for (int k = 0; k < patch; k++)
                    if (weights[k] != 0) Axpy(weights[k], columns.AsSpan(k * pixels, pixels), row);
                if (conv.Bias is { } bias)
                    foreach (ref double v in row) v += bias[o];
            }
        }
        return output;
    }

    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int k = 0; k < vx.Length; k++) vy[k] += va * vx[k];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    private static Tensor Normalize(BatchNormalization bn, Tensor x)
    {
        var y = new Tensor(x.Shape);
        int per = x.Shape.ElementCount / bn.Channels;
        for (int c = 0; c < bn.Channels; c++)
        {
            double m = bn.Multiplier(c), a = bn.Shift(c);
            for (int i = c * per; i < (c + 1) * per; i++) y.Data[i] = m * x.Data[i] + a;
        }
        return y;
    }

    /// <summary>The activation on its kept channels; the other channels are copied.</summary>
    private static Tensor Activate(ChannelMaskedActivation activation, Tensor x)
    {
        if (activation.KeptChannels is not { } kept) return Map(x, activation.Apply);
        var y = new Tensor(x.Shape);
        int per = x.Shape.ElementCount / kept.Length;
        for (int i = 0; i < x.Data.Length; i++)
            y.Data[i] = kept[i / per] ? activation.Apply(x.Data[i]) : x.Data[i];
        return y;
    }

    private static Tensor Map(Tensor x, Func<double, double> f)
    {
        var y = new Tensor(x.Shape);
        for (int i = 0; i < x.Data.Length; i++) y.Data[i] = f(x.Data[i]);
        return y;
    }

    private static Tensor Sum(Tensor a, Tensor b)
    {
        var y = new Tensor(a.Shape);
        for (int i = 0; i < a.Data.Length; i++) y.Data[i] = a.Data[i] + b.Data[i];
        return y;
    }

    private static Tensor AveragePool(AveragePool pool, Tensor x)
    {
        var shape = pool.InferShape("avgpool", [x.Shape]);
        var y = new Tensor(shape);
        double divisor = pool.WindowSize;
        ForEachWindow(pool, x.Shape, shape, (c, oy, ox, window) =>
        {
            double sum = 0;
            foreach (int index in window) sum += x.Data[index];
            y[c, oy, ox] = sum / divisor;
        });
        return y;
    }

    private static Tensor MaxPool(MaxPool pool, Tensor x)
    {
        var shape = pool.InferShape("maxpool", [x.Shape]);
        var y = new Tensor(shape);
        ForEachWindow(pool, x.Shape, shape, (c, oy, ox, window) =>
        {
            double max = double.NegativeInfinity;
            foreach (int index in window) max = Math.Max(max, x.Data[index]);
            y[c, oy, ox] = max;
        });
        return y;
    }

    /// <summary>Calls <paramref name="visit"/> with the flat input indices inside each pooling window (padding left out).</summary>
    public static void ForEachWindow(Pooling2d pool, TensorShape input, TensorShape output, Action<int, int, int, List<int>> visit)
    {
        var window = new List<int>(pool.WindowSize);
        for (int c = 0; c < output.Channels; c++)
        for (int oy = 0; oy < output.Height; oy++)
        for (int ox = 0; ox < output.Width; ox++)
        {
            window.Clear();
            for (int u = 0; u < pool.KernelHeight; u++)
            {
                int iy = oy * pool.StrideHeight - pool.Padding.Top + u;
                if (iy < 0 || iy >= input.Height) continue;
                for (int v = 0; v < pool.KernelWidth; v++)
                {
                    int ix = ox * pool.StrideWidth - pool.Padding.Left + v;
                    if (ix < 0 || ix >= input.Width) continue;
                    window.Add((c * input.Height + iy) * input.Width + ix);
                }
            }
            visit(c, oy, ox, window);
        }
    }

    private static Tensor GlobalAverage(Tensor x)
    {
        int channels = x.Shape.Channels, per = x.Shape.Height * x.Shape.Width;
        var y = new Tensor(TensorShape.FeatureMap(channels, 1, 1));
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int i = c * per; i < (c + 1) * per; i++) sum += x.Data[i];
            y.Data[c] = sum / per;
        }
        return y;
    }

    private static Tensor Dense(FullyConnected fc, Tensor x)
    {
        var y = new Tensor(TensorShape.Vector(fc.OutFeatures));
        for (int o = 0; o < fc.OutFeatures; o++)
        {
            var w = fc.Weights.AsSpan(o * fc.InFeatures, fc.InFeatures);
            double sum = fc.Bias?[o] ?? 0;
            for (int i = 0; i < w.Length; i++) sum += w[i] * x.Data[i];
            y.Data[o] = sum;
        }
        return y;
    }

    private static Tensor Shortcut(ZeroPadShortcut shortcut, Tensor x, TensorShape outputShape)
    {
        var y = new Tensor(outputShape);
        for (int c = 0; c < x.Shape.Channels; c++)
        for (int oy = 0; oy < outputShape.Height; oy++)
        for (int ox = 0; ox < outputShape.Width; ox++)
            y[c + shortcut.PadBefore, oy, ox] = x[c, oy * shortcut.Stride, ox * shortcut.Stride];
        return y;
    }
}
