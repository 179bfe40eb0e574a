using CoPriv.Models.Execution;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Lowering;

/// <summary>
/// Runs a <see cref="LoweredProgram"/> in the clear with exactly the ring semantics the secure engine must
/// reproduce: arithmetic mod 2^ℓ, truncation = signed floor(x / 2^k) (arithmetic shift), ReLU on the signed reading,
/// average pooling = signed floor division of the window sum by the window size, max pooling and argmax on signed
/// readings. A secure run's reconstructed outputs must equal this executor's bit for bit.
/// </summary>
public static class FixedPointReferenceExecutor
{
    /// <summary>Encodes the (normalised) image at scale s and runs the program.</summary>
    public static FixedPointRun Run(LoweredProgram program, Tensor image) => Run(program, program.EncodeInput(image));

    public static FixedPointRun Run(LoweredProgram program, RingTensor input)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape != program.InputShape || input.ScaleBits != program.InputScale)
            throw new ArgumentException(
                $"program '{program.ModelName}' takes {program.InputShape} at scale {program.InputScale}, got {input.Shape} at scale {input.ScaleBits}", nameof(input));
        var ring = program.Ring;
        var values = new Dictionary<string, RingTensor>(StringComparer.Ordinal) { [program.InputName] = input };
        foreach (var op in program.Operations)
        {
            var inputs = op.Inputs.Select(i => values[i]).ToArray();
            var output = new ulong[op.OutputShape.ElementCount];
            Execute(ring, op, inputs, output);
            values[op.Output] = new RingTensor(op.OutputShape, output, op.OutputScale);
        }
        return new FixedPointRun(program, values);
    }

    /// <summary>
    /// One operation on ring values. Also each party's local steps on its own share (<c>LocalOperation</c>): they
    /// are linear, so the cleartext semantics apply to shares as they are.
    /// </summary>
    public static void Execute(Ring ring, RingOperation op, RingTensor[] inputs, ulong[] output)
    {
        var x = inputs[0].Data;
        switch (op)
        {
            case RingConvolution conv:
                conv.Algorithm.Convolve(ring, conv.Geometry, x, conv.Weights, output);
                if (conv.Bias is { } bias)
                    AddPerChannel(ring, output, bias);
                break;
            case RingFullyConnected fc:
                for (int o = 0; o < fc.OutFeatures; o++)
                {
                    ulong sum = fc.Bias?[o] ?? 0;
                    var w = fc.Weights.AsSpan(o * fc.InFeatures, fc.InFeatures);
                    for (int i = 0; i < w.Length; i++) sum += w[i] * x[i];
                    output[o] = ring.Reduce(sum);
                }
                break;
            case RingBatchNorm bn:
            {
                int per = output.Length / bn.Channels;
                for (int c = 0; c < bn.Channels; c++)
                    for (int i = c * per; i < (c + 1) * per; i++)
                        output[i] = ring.Reduce(x[i] * bn.Multipliers[c] + bn.Shifts[c]);
                break;
            }
            case RingTruncate truncate:
                ring.ShiftRightArithmetic(x, truncate.Shift, output);
                break;
            case RingRelu relu:
                for (int i = 0; i < x.Length; i++) output[i] = !relu.IsKept(i) ? x[i] : ring.ToSigned(x[i]) > 0 ? x[i] : 0;
                break;
            case RingRelu6 relu6:
                for (int i = 0; i < x.Length; i++)
                    output[i] = !relu6.IsKept(i) ? x[i] : ring.FromSigned(Math.Clamp(ring.ToSigned(x[i]), 0, relu6.UpperBound));
                break;
            case RingAdd:
                ring.Add(x, inputs[1].Data, output);
                break;
            case RingBiasMap map:
                ring.Add(x, map.Values, output);
                break;
            case RingScaleUp up:
                ring.ShiftLeft(x, up.Shift, output);
                break;
            case RingAveragePool pool:
            {
                long divisor = pool.Divisor;
                int index = 0;
                FloatKernels.ForEachWindow(pool.Pool, inputs[0].Shape, op.OutputShape, (_, _, _, window) =>
                {
                    ulong sum = 0;
                    foreach (int i in window) sum += x[i];
                    output[index++] = ring.FromSigned(FloorDivide(ring.ToSigned(ring.Reduce(sum)), divisor));
                });
                break;
            }
            case RingMaxPool pool:
            {
                int index = 0;
                FloatKernels.ForEachWindow(pool.Pool, inputs[0].Shape, op.OutputShape, (_, _, _, window) =>
                {
                    long max = long.MinValue;
                    foreach (int i in window) max = Math.Max(max, ring.ToSigned(x[i]));
                    output[index++] = ring.FromSigned(max);
                });
                break;
            }
            case RingZeroPadShortcut shortcut:
                ZeroPadShortcut(inputs[0], op.OutputShape, shortcut, output);
                break;
            case RingFlatten:
                x.CopyTo(output, 0);
                break;
            case RingArgMax:
                output[0] = (ulong)FixedPointRun.ArgMaxOfSigned(ring, x);
                break;
            default:
                throw new NotSupportedException($"the reference executor has no semantics for operation {op.Kind}");
        }
    }

    /// <summary>data[c·per + i] += perChannel[c]: a bias or shift per channel (at the server, onto its share).</summary>
    public static void AddPerChannel(Ring ring, Span<ulong> data, ReadOnlySpan<ulong> perChannel)
    {
        int per = data.Length / perChannel.Length;
        for (int c = 0; c < perChannel.Length; c++)
            for (int i = c * per; i < (c + 1) * per; i++)
                data[i] = ring.Add(data[i], perChannel[c]);
    }

    /// <summary>floor(a / d) for d &gt; 0, also for negative a (C#'s / rounds toward zero).</summary>
    internal static long FloorDivide(long a, long d)
    {
        long q = a / d;
        return a % d < 0 ? q - 1 : q;
    }

    private static void ZeroPadShortcut(RingTensor input, TensorShape outShape, RingZeroPadShortcut shortcut, ulong[] output)
    {
        var inShape = input.Shape;
        for (int c = 0; c < inShape.Channels; c++)
        for (int oy = 0; oy < outShape.Height; oy++)
        for (int ox = 0; ox < outShape.Width; ox++)
            output[((c + shortcut.PadBefore) * outShape.Height + oy) * outShape.Width + ox] =
                input.Data[(c * inShape.Height + oy * shortcut.Stride) * inShape.Width + ox * shortcut.Stride];
    }
}
