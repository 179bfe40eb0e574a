using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Inputs;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;
using Xunit.Abstractions;

namespace CoPriv.Models.Tests;

/// <summary>
/// Every kind of operation of a lowered program, checked by engines that share no code with the ring: the fixed-point
/// reference executor's output on a two- or three-layer graph against the float executor (double precision) and
/// against ONNX Runtime on the exported graph. The secure parties' local steps run the reference executor's own code,
/// so a wrong meaning there would pass every reference check; these oracles catch it.
/// </summary>
public class FixedPointAgainstFloatTests(ITestOutputHelper output)
{
    private const int Scale = FixedPointPolicy.DefaultScale;
    private static readonly double Ulp = Math.Pow(2, -Scale);
    private static readonly TensorShape Input = TensorShape.FeatureMap(3, 8, 8);

    /// <summary>
    /// The tolerance of a graph whose product layers have fan-ins F₁, F₂, …: 4·ΣF ulps of 2⁻ˢ. Each multiply-accumulate
    /// sees its input and weight rounded by half an ulp each, i.e. at most (|x| + |w|)/2 ≤ 4 ulps with N(0, 1) inputs
    /// (|x| ≤ 5 on these sizes) and weights of σ = 0.3; each truncation floors by at most one more; a later layer's
    /// weights (Σ|w| ≈ 0.24·F) carry an earlier error through at about its own size.
    /// </summary>
    private static double Tolerance(params int[] fanIns) => 4.0 * fanIns.Sum() * Ulp;

    private static FixedPointPolicy Logits(FixedPointPolicy policy) => policy with { AppendArgMax = false };

    private static readonly FixedPointPolicy Folded = Logits(FixedPointPolicy.Default);
    private static readonly FixedPointPolicy Elementwise = Logits(FixedPointPolicy.CrypTFlow2);

    private static FixedPointPolicy With(IRingConvolution algorithm) => Folded with
    {
        SelectConvolution = g => algorithm.Supports(g) ? algorithm : throw new InvalidOperationException($"{algorithm.Name} does not support {g}"),
    };

    private sealed record Case(ModelGraph Graph, FixedPointPolicy Policy, Func<LoweredProgram, bool> Exercises, double Tolerance);

    private static Convolution Conv(SeededRandom rng, int inC, int outC, int kernel, int stride = 1, bool bias = true) =>
        new(inC, outC, kernel, kernel, rng.Gaussian(outC * inC * kernel * kernel, 0.3), bias ? rng.Gaussian(outC, 0.1) : null,
            stride, stride, Padding2d.Symmetric(kernel / 2));

    private static BatchNormalization Bn(int channels) => new(
        Enumerable.Range(0, channels).Select(c => 0.8 + 0.1 * c).ToArray(),
        Enumerable.Range(0, channels).Select(c => 0.05 * c - 0.1).ToArray(),
        Enumerable.Range(0, channels).Select(c => 0.1 * (c % 3) - 0.1).ToArray(),
        Enumerable.Range(0, channels).Select(c => 0.6 + 0.3 * c).ToArray());

    private static bool Has<T>(LoweredProgram p, Func<T, bool>? where = null) where T : RingOperation =>
        p.Operations.OfType<T>().Any(where ?? (_ => true));

    private static bool ConvolvesWith(LoweredProgram p, IRingConvolution algorithm) =>
        Has<RingConvolution>(p, c => c.Algorithm == algorithm);

    private static Case Build(string operation)
    {
        var rng = new SeededRandom(41);
        var b = new GraphBuilder("x", Input);
        string Flat(string t) => b.Add("flatten", Flatten.Instance, t);
        ModelGraph Done(string t) => b.Build(operation, "oracle test", t);
        switch (operation)
        {
            case "convolution im2col":
                return new(Done(Flat(b.Add("conv", Conv(rng, 3, 4, 3), "x"))), Folded,
                    p => ConvolvesWith(p, DirectRingConvolution.Instance), Tolerance(27));
            case "convolution Winograd F(2,3)":
                return new(Done(Flat(b.Add("conv", Conv(rng, 3, 4, 3), "x"))), With(WinogradRingConvolution.F2x2),
                    p => ConvolvesWith(p, WinogradRingConvolution.F2x2), Tolerance(27));
            case "convolution Winograd F(4,3)":
                // Its transformed weights are rounded to 2⁻ˢ: each of the 36 transformed products carries up to
                // half an ulp times a transform entry (≤ 10 in magnitude), so the fan-in counts ten times over.
                return new(Done(Flat(b.Add("conv", Conv(rng, 3, 4, 3), "x"))), With(WinogradRingConvolution.F4x4),
                    p => ConvolvesWith(p, WinogradRingConvolution.F4x4), Tolerance(10 * 27));
            case "convolution polyphase stride 2":
                return new(Done(Flat(b.Add("conv", Conv(rng, 3, 4, 3, stride: 2), "x"))), With(PolyphaseRingConvolution.Instance),
                    p => ConvolvesWith(p, PolyphaseRingConvolution.Instance), Tolerance(27));
            case "fully connected":
                return new(Done(b.Add("fc", new FullyConnected(192, 5, rng.Gaussian(5 * 192, 0.1), rng.Gaussian(5, 0.1)), Flat("x"))), Folded,
                    p => Has<RingFullyConnected>(p), Tolerance(192));
            case "BatchNorm folded":
                return new(Done(Flat(b.Add("bn", Bn(4), b.Add("conv", Conv(rng, 3, 4, 3), "x")))), Folded,
                    p => !Has<RingBatchNorm>(p), Tolerance(27));
            case "BatchNorm element-wise":
                return new(Done(Flat(b.Add("bn", Bn(4), b.Add("conv", Conv(rng, 3, 4, 3), "x")))), Elementwise,
                    p => Has<RingBatchNorm>(p), Tolerance(27, 1));
            case "ReLU and truncation of a known sign":
                return new(Done(Flat(b.Add("relu", Relu.Instance, b.Add("conv", Conv(rng, 3, 4, 3), "x")))), Folded,
                    p => Has<RingRelu>(p) && Has<RingTruncate>(p, t => t.InputNonNegative), Tolerance(27));
            case "ReLU6":
                return new(Done(Flat(b.Add("relu6", Relu6.Instance, b.Add("conv", Conv(rng, 3, 4, 3), "x")))), Folded,
                    p => Has<RingRelu6>(p), Tolerance(27));
            case "truncation of an unknown sign":
            {
                string t = b.Add("conv1", Conv(rng, 3, 4, 3), "x");
                return new(Done(Flat(b.Add("conv2", Conv(rng, 4, 4, 1), t))), Folded,
                    p => Has<RingTruncate>(p, t => !t.InputNonNegative), Tolerance(27, 4));
            }
            case "average pool":
                return new(Done(Flat(b.Add("pool", new AveragePool(2, 2), b.Add("relu", Relu.Instance, b.Add("conv", Conv(rng, 3, 4, 3), "x"))))),
                    Folded, p => Has<RingAveragePool>(p), Tolerance(27));
            case "max pool":
                return new(Done(Flat(b.Add("pool", new MaxPool(3, 2, 1), b.Add("conv", Conv(rng, 3, 4, 3), "x")))), Folded,
                    p => Has<RingMaxPool>(p), Tolerance(27));
            case "residual add":
            {
                string t = b.Add("relu", Relu.Instance, b.Add("conv1", Conv(rng, 3, 4, 3), "x"));
                return new(Done(Flat(b.Add("add", Add.Instance, b.Add("conv2", Conv(rng, 4, 4, 3), t), t))), Folded,
                    p => Has<RingAdd>(p) && Has<RingScaleUp>(p), Tolerance(27, 36));
            }
            case "zero-padding shortcut at stride 2":
            {
                string t = b.Add("relu", Relu.Instance, b.Add("conv1", Conv(rng, 3, 2, 3), "x"));
                string shortcut = b.Add("shortcut", ZeroPadShortcut.Between(2, 4, 2), t);
                return new(Done(Flat(b.Add("add", Add.Instance, b.Add("conv2", Conv(rng, 2, 4, 3, stride: 2), t), shortcut))), Folded,
                    p => Has<RingZeroPadShortcut>(p), Tolerance(27, 18));
            }
            case "bias map at the product's scale":
            {
                string t = b.Add("conv", Conv(rng, 3, 4, 3), "x");
                t = b.Add("border", new BiasMap(b.ShapeOf(t), rng.Gaussian(4 * 8 * 8, 0.5)), t);
                return new(Done(Flat(b.Add("relu6", Relu6.Instance, t))), Folded,
                    p => Has<RingBiasMap>(p, m => m.OutputScale == 2 * Scale), Tolerance(27));
            }
            case "bias map at scale s":
            {
                string t = b.Add("conv", Conv(rng, 3, 4, 3), "x");
                t = b.Add("border", new BiasMap(b.ShapeOf(t), rng.Gaussian(4 * 8 * 8, 0.5)), t);
                return new(Done(Flat(b.Add("relu6", Relu6.Instance, t))), Folded with { TruncateAfterRelu = false },
                    p => Has<RingBiasMap>(p, m => m.OutputScale == Scale), Tolerance(27));
            }
            case "partial ReLU and truncation of an unknown sign":
                return new(Done(Flat(b.Add("relu", new Relu([true, false, false, true]), b.Add("conv", Conv(rng, 3, 4, 3), "x")))), Folded,
                    p => Has<RingRelu>(p, r => r.KeptElementCount == 2 * 64) && Has<RingTruncate>(p, t => !t.InputNonNegative), Tolerance(27));
            case "partial ReLU6 at scale s":
                return new(Done(Flat(b.Add("relu6", new Relu6([false, true, true, false]), b.Add("conv", Conv(rng, 3, 4, 3), "x")))),
                    Folded with { TruncateAfterRelu = false },
                    p => Has<RingRelu6>(p, r => r.KeptChannels is not null && r.OutputScale == Scale), Tolerance(27));
            case "partial ReLU after element-wise BatchNorm":
                return new(Done(Flat(b.Add("relu", new Relu([false, true, false, true]), b.Add("bn", Bn(4), b.Add("conv", Conv(rng, 3, 4, 3), "x"))))),
                    Elementwise, p => Has<RingRelu>(p, r => r.KeptChannels is not null) && Has<RingTruncate>(p, t => !t.InputNonNegative),
                    Tolerance(27, 1));
            case "flatten":
                return new(Done(Flat("x")), Folded, p => Has<RingFlatten>(p), Ulp);
            default:
                throw new ArgumentException($"no oracle case '{operation}'");
        }
    }

    [Theory]
    [InlineData("convolution im2col")]
    [InlineData("convolution Winograd F(2,3)")]
    [InlineData("convolution Winograd F(4,3)")]
    [InlineData("convolution polyphase stride 2")]
    [InlineData("fully connected")]
    [InlineData("BatchNorm folded")]
    [InlineData("BatchNorm element-wise")]
    [InlineData("ReLU and truncation of a known sign")]
    [InlineData("ReLU6")]
    [InlineData("truncation of an unknown sign")]
    [InlineData("average pool")]
    [InlineData("max pool")]
    [InlineData("residual add")]
    [InlineData("zero-padding shortcut at stride 2")]
    [InlineData("bias map at the product's scale")]
    [InlineData("bias map at scale s")]
    [InlineData("partial ReLU and truncation of an unknown sign")]
    [InlineData("partial ReLU6 at scale s")]
    [InlineData("partial ReLU after element-wise BatchNorm")]
    [InlineData("flatten")]
    public void FixedPointReference_MatchesTheFloatExecutorAndOnnxRuntime_WithinTheScalesTolerance(string operation)
    {
        var (graph, policy, exercises, tolerance) = Build(operation);
        var program = FixedPointLowering.Lower(graph, policy);
        Assert.True(exercises(program), $"the lowered program does not exercise {operation}: {string.Join(", ", program.Operations.Select(o => o.Kind))}");
        using var ort = new OnnxRuntimeOracle(graph);
        double largestError = 0;
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var image = InputImages.Random(Input, seed).Image;
            var fixedPoint = FixedPointReferenceExecutor.Run(program, image).DecodedLogits.Data;
            var exact = FloatExecutor.Run(graph, image).Data;
            var onnx = ort.Run(image);
            for (int i = 0; i < exact.Length; i++)
            {
                largestError = Math.Max(largestError, Math.Abs(fixedPoint[i] - exact[i]));
                Assert.True(Math.Abs(fixedPoint[i] - exact[i]) <= tolerance,
                    $"{operation}, input {seed}, output {i}: fixed point {fixedPoint[i]}, float executor {exact[i]}, tolerance {tolerance}");
                Assert.True(Math.Abs(fixedPoint[i] - onnx[i]) <= tolerance + 1e-4 * (1 + Math.Abs(exact[i])),
                    $"{operation}, input {seed}, output {i}: fixed point {fixedPoint[i]}, ONNX Runtime {onnx[i]}, tolerance {tolerance}");
            }
        }
        output.WriteLine($"{operation}: largest error {largestError / Ulp:F1} ulps, tolerance {tolerance / Ulp:F0} ulps");
    }

    [Fact]
    public void FixedPointArgMax_IsTheFloatExecutorsArgMax_WhereTheMarginExceedsTwiceTheTolerance()
    {
        var rng = new SeededRandom(43);
        var b = new GraphBuilder("x", Input);
        string t = b.Add("relu", Relu.Instance, b.Add("conv", Conv(rng, 3, 4, 3), "x"));
        t = b.Add("fc", new FullyConnected(256, 10, rng.Gaussian(10 * 256, 0.5), rng.Gaussian(10, 0.1)), b.Add("flatten", Flatten.Instance, t));
        var graph = b.Build("argmax", "oracle test", t);
        var program = FixedPointLowering.Lower(graph, FixedPointPolicy.Default);
        Assert.IsType<RingArgMax>(program.Operations[^1]);
        double tolerance = Tolerance(27, 256);
        int counted = 0;
        for (ulong seed = 1; seed <= 40; seed++)
        {
            var image = InputImages.Random(Input, seed).Image;
            var logits = FloatExecutor.Run(graph, image).Data;
            var ranked = logits.OrderDescending().ToArray();
            if (ranked[0] - ranked[1] <= 2 * tolerance) continue;
            counted++;
            Assert.Equal(Array.IndexOf(logits, ranked[0]), FixedPointReferenceExecutor.Run(program, image).Prediction);
        }
        Assert.True(counted >= 20, $"only {counted} of 40 inputs have a clear margin");
    }
}
