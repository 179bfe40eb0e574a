using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Tests;

public class ReferenceSemanticsTests
{
    private static readonly Ring Ring41 = new(41);

    private static ulong NaiveRingConv(ConvolutionGeometry g, ulong[] x, ulong[] w, int o, int oy, int ox)
    {
        int perGroup = g.InChannelsPerGroup, group = o / g.OutChannelsPerGroup;
        ulong sum = 0;
        for (int ci = 0; ci < perGroup; ci++)
        for (int u = 0; u < g.KernelHeight; u++)
        for (int v = 0; v < g.KernelWidth; v++)
        {
            int iy = oy * g.StrideHeight - g.Padding.Top + u, ix = ox * g.StrideWidth - g.Padding.Left + v;
            if (iy < 0 || ix < 0 || iy >= g.InHeight || ix >= g.InWidth) continue;
            sum += w[((o * perGroup + ci) * g.KernelHeight + u) * g.KernelWidth + v] * x[((group * perGroup + ci) * g.InHeight + iy) * g.InWidth + ix];
        }
        return sum & Ring41.Mask;
    }

    [Theory]
    [InlineData(3, 5, 3, 1, 1, 1)]
    [InlineData(4, 4, 3, 2, 0, 4)]
    [InlineData(6, 4, 1, 2, 0, 2)]
    public void DirectRingConvolution_IsExactModuloTwoToTheL_EvenWhenProductsWrap(int inC, int outC, int k, int stride, int pad, int groups)
    {
        var g = new ConvolutionGeometry(inC, 9, 7, outC, k, k, stride, stride, new Padding2d(pad, pad, 1, 1), groups);
        var rng = new CoPriv.Models.Zoo.SeededRandom(5);
        var x = Enumerable.Range(0, g.InputShape.ElementCount).Select(_ => rng.NextUInt64() & Ring41.Mask).ToArray();
        var w = Enumerable.Range(0, g.WeightCount).Select(_ => rng.NextUInt64() & Ring41.Mask).ToArray();
        var y = new ulong[g.OutputShape.ElementCount];
        DirectRingConvolution.Instance.Convolve(Ring41, g, x, w, y);
        for (int o = 0; o < outC; o++)
        for (int oy = 0; oy < g.OutHeight; oy++)
        for (int ox = 0; ox < g.OutWidth; ox++)
            Assert.Equal(NaiveRingConv(g, x, w, o, oy, ox), y[(o * g.OutHeight + oy) * g.OutWidth + ox]);
    }

    /// <summary>Runs a one-layer graph lowered with s = 4, on integer inputs given as raw signed ring values.</summary>
    private static long[] RunSingle(LayerOperator op, TensorShape shape, long[] raw, FixedPointPolicy? policy = null)
    {
        var b = new GraphBuilder("x", shape);
        var graph = b.Build("one", "", b.Add("op", op, "x"));
        policy ??= FixedPointPolicy.Default with { Scale = 4, AppendArgMax = false };
        var program = FixedPointLowering.Lower(graph, policy);
        var input = new RingTensor(shape, raw.Select(Ring41.FromSigned).ToArray(), 4);
        return FixedPointReferenceExecutor.Run(program, input).Output.Data.Select(Ring41.ToSigned).ToArray();
    }

    [Fact]
    public void AveragePool_IsSignedFloorDivisionOfTheWindowSum()
    {
        var shape = TensorShape.FeatureMap(1, 1, 6);
        var outs = RunSingle(new AveragePool(1, 3, 1, 3), shape, [-7, 0, 0, 7, 1, 0]);
        Assert.Equal([-3L, 2L], outs); // floor(−7/3) = −3, floor(8/3) = 2
    }

    [Fact]
    public void Relu_And_Relu6_ReadTheTwosComplementValue()
    {
        var shape = TensorShape.Vector(5);
        Assert.Equal([0L, 0, 5, 0, 1L << 39], RunSingle(Relu.Instance, shape, [-1, -(1L << 40), 5, 0, (1L << 39)]));
        // s = 4: the bound 6 is 96.
        Assert.Equal([0L, 95, 96, 96, 0], RunSingle(Relu6.Instance, shape, [-3, 95, 96, 1000, -(1L << 40)]));
    }

    [Fact]
    public void MaxPoolAndArgMax_CompareSignedReadings_ArgMaxTakesTheFirstOnTies()
    {
        Assert.Equal([-1L, 3], RunSingle(new MaxPool(1, 2, 1, 2), TensorShape.FeatureMap(1, 1, 4), [-5, -1, 3, -(1L << 40)]));
        var b = new GraphBuilder("x", TensorShape.Vector(4));
        var graph = b.Build("one", "", b.Add("op", Relu.Instance, "x"));
        var program = FixedPointLowering.Lower(graph, FixedPointPolicy.Default with { Scale = 4 });
        var input = new RingTensor(TensorShape.Vector(4), new long[] { 3, 9, 9, -(1L << 40) }.Select(Ring41.FromSigned).ToArray(), 4);
        Assert.Equal(1, FixedPointReferenceExecutor.Run(program, input).Prediction);
    }

    [Fact]
    public void Truncation_IsTheSignedFloor_OnNegativeValuesToo()
    {
        // conv 1×1 with weight 1.0 (= 16 at s = 4) then truncation by s: floor(16x / 16) = x, and for the bias 0.5·... check negatives via BN.
        var bn = new BatchNormalization([1.0], [0.0], [0.0], [1.0], 0);
        var outs = RunSingle(bn, TensorShape.FeatureMap(1, 1, 4), [-33, -1, 1, 33],
            FixedPointPolicy.Default with { Scale = 4, AppendArgMax = false, BatchNorm = BatchNormLowering.ElementwiseProduct, TruncateAfterRelu = false });
        Assert.Equal([-33L, -1, 1, 33], outs);
        var half = new BatchNormalization([0.5], [0.0], [0.0], [1.0], 0);
        var halves = RunSingle(half, TensorShape.FeatureMap(1, 1, 4), [-33, -1, 1, 33],
            FixedPointPolicy.Default with { Scale = 4, AppendArgMax = false, BatchNorm = BatchNormLowering.ElementwiseProduct, TruncateAfterRelu = false });
        Assert.Equal([-17L, -1, 0, 16], halves); // floor(−16.5) = −17, floor(−0.5) = −1
    }

    [Fact]
    public void ResidualAddOfDifferentScales_ScalesTheLowerOperandUpLocally()
    {
        var b = new GraphBuilder("x", TensorShape.FeatureMap(1, 1, 2));
        string conv = b.Add("conv", new Convolution(1, 1, 1, 1, [1.0]), "x");
        var graph = b.Build("res", "", b.Add("add", Add.Instance, conv, "x"));
        var program = FixedPointLowering.Lower(graph, FixedPointPolicy.Default with { Scale = 4, AppendArgMax = false });
        var up = program.OperationsOf<RingScaleUp>().Single();
        Assert.Equal(4, up.Shift);
        Assert.True(up.IsLocal);
        var input = new RingTensor(TensorShape.FeatureMap(1, 1, 2), [Ring41.FromSigned(-3), 5], 4);
        var output = FixedPointReferenceExecutor.Run(program, input).Output;
        Assert.Equal(8, output.ScaleBits);
        Assert.Equal([-96L, 160], output.Data.Select(Ring41.ToSigned)); // (−3 + −3)·16, (5 + 5)·16
    }
}
