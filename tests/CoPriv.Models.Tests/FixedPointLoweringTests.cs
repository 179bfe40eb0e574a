using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Tests;

public class FixedPointLoweringTests
{
    private static readonly ModelGraph ResNet32SciFull = ModelZoo.Create("resnet32-sci", new ZooOptions(CalibrationSamples: 0));

    [Fact]
    public void CrypTFlow2Policy_MirrorsSciOperationSequence_OneTruncationAfterEachRelu()
    {
        var program = FixedPointLowering.Lower(ResNet32SciFull, FixedPointPolicy.CrypTFlow2);
        Assert.Equal(34, program.OperationsOf<RingConvolution>().Count());
        Assert.Equal(34, program.OperationsOf<RingBatchNorm>().Count());
        Assert.Equal(31, program.OperationsOf<RingRelu>().Count());
        var truncations = program.OperationsOf<RingTruncate>().ToList();
        Assert.Equal(31, truncations.Count);
        // conv (2s) · BN multiplier (s) = 3s before the ReLU; the truncation after it brings 3s back to s.
        Assert.All(truncations, t => Assert.True(t.InputNonNegative && t.Shift == 22));
        Assert.All(program.OperationsOf<RingBatchNorm>(), bn => Assert.Equal(33, bn.OutputScale));
        // Identity shortcuts (12 blocks) add a truncated s-scaled value to a 3s-scaled one: a local scale-up by 2s.
        Assert.Equal(12, program.OperationsOf<RingScaleUp>().Count());
        Assert.All(program.OperationsOf<RingScaleUp>(), u => Assert.Equal(22, u.Shift));
        var ops = program.Operations.Select(o => o.Kind).ToList();
        Assert.Equal(["Conv", "BatchNorm", "Relu", "Truncate", "Conv", "BatchNorm", "Relu", "Truncate", "Conv", "BatchNorm",
            "Conv", "BatchNorm", "Add", "Relu", "Truncate"], ops.Take(15));
        Assert.Equal(["AvgPool", "Flatten", "FC", "ArgMax"], ops.TakeLast(4));
        Assert.Equal(22, program.LogitsScale);
    }

    [Fact]
    public void DefaultPolicy_FoldsEveryBatchNorm_AndTruncatesBySAfterEachRelu()
    {
        var program = FixedPointLowering.Lower(ResNet32SciFull);
        Assert.Empty(program.OperationsOf<RingBatchNorm>());
        Assert.Equal(34, program.OperationsOf<RingConvolution>().Count());
        Assert.All(program.OperationsOf<RingConvolution>(), c => Assert.NotNull(c.Bias));
        var truncations = program.OperationsOf<RingTruncate>().ToList();
        Assert.Equal(31, truncations.Count);
        Assert.All(truncations, t => Assert.True(t.InputNonNegative && t.Shift == 11));
        Assert.Equal(41, program.Ring.Bits);
    }

    [Fact]
    public void TruncateBeforeRelu_PutsAnUnsignedTruncationAfterEveryProduct()
    {
        var program = FixedPointLowering.Lower(ResNet32SciFull, FixedPointPolicy.Default with { TruncateAfterRelu = false });
        var truncations = program.OperationsOf<RingTruncate>().ToList();
        Assert.Equal(35, truncations.Count);
        Assert.All(truncations, t => Assert.False(t.InputNonNegative));
        Assert.All(program.OperationsOf<RingRelu>(), r => Assert.Equal(11, r.OutputScale));
        Assert.Equal(11, program.LogitsScale);
    }

    public static TheoryData<string, string> ModelsAndPolicies() => new()
    {
        { "resnet32-sci", "default" }, { "resnet32-sci", "cryptflow2" }, { "resnet32-sci", "eager" },
        { "resnet32", "default" }, { "mobilenetv2", "default" }, { "minionn", "default" }, { "resnet18", "cryptflow2" },
    };

    private static FixedPointPolicy PolicyNamed(string name) => name switch
    {
        "cryptflow2" => FixedPointPolicy.CrypTFlow2,
        "eager" => FixedPointPolicy.Default with { TruncateAfterRelu = false, BatchNorm = BatchNormLowering.ElementwiseProduct },
        _ => FixedPointPolicy.Default,
    };

    [Theory]
    [MemberData(nameof(ModelsAndPolicies))]
    public void ReferenceRun_TracksTheFloatModel_WithHeadroomInTheRing(string model, string policy)
    {
        var graph = ModelZoo.Create(model, new ZooOptions(WidthMultiplier: 0.25));
        var program = FixedPointLowering.Lower(graph, PolicyNamed(policy));
        var image = TestModels.RandomImage(graph.InputShape, 21);
        var expected = FloatExecutor.Run(graph, image);
        var run = FixedPointReferenceExecutor.Run(program, image);
        var logits = run.DecodedLogits;
        // The zoo's classifier is calibrated to logits that vary by about 1 between inputs (not by a class offset
        // common to all inputs), so the fixed-point error is measured against what varies: up to 0.25 on the
        // ResNets and 0.54 on MobileNetV2 (folded depthwise BatchNorms) over 20 inputs, within 5 % of the range.
        double spread = expected.Data.Max() - expected.Data.Min();
        for (int i = 0; i < expected.Data.Length; i++)
            Assert.Equal(expected.Data[i], logits.Data[i], 0.05 * spread + 0.05);
        Assert.True(run.MinimumHeadroomBits >= 2, $"headroom {run.MinimumHeadroomBits} bits");
        Assert.Equal(logits.ArgMax(), run.Prediction);
    }

    [Fact]
    public void WithoutParameters_KeepsStructureAndZeroesEveryServerParameter()
    {
        var program = FixedPointLowering.Lower(TestModels.Tiny(), FixedPointPolicy.CrypTFlow2);
        var client = program.WithoutParameters();
        Assert.False(client.HasParameters);
        Assert.Equal(program.Operations.Select(o => (o.Kind, o.Output, o.OutputScale)), client.Operations.Select(o => (o.Kind, o.Output, o.OutputScale)));
        Assert.All(client.OperationsOf<RingConvolution>(), c => Assert.All(c.Weights.Concat(c.Bias!), w => Assert.Equal(0UL, w)));
        Assert.All(client.OperationsOf<RingBatchNorm>(), b => Assert.All(b.Multipliers.Concat(b.Shifts), w => Assert.Equal(0UL, w)));
        Assert.All(client.OperationsOf<RingFullyConnected>(), f => Assert.All(f.Weights, w => Assert.Equal(0UL, w)));
        Assert.Contains(program.OperationsOf<RingConvolution>().Single().Weights, w => w != 0);
    }

    [Fact]
    public void ScaleTooLargeForTheRing_IsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            FixedPointLowering.Lower(TestModels.Tiny(), FixedPointPolicy.CrypTFlow2 with { RingBits = 32, Scale = 12 }));
        Assert.Contains("node 'bn'", e.Message);
        Assert.Throws<ArgumentException>(() => FixedPointLowering.Lower(TestModels.Tiny(), FixedPointPolicy.Default with { Scale = 21 }));
    }

    /// <summary>A stand-in for the Winograd reference: the exact product times 4, as F(2×2, 3×3) with 2G returns it.</summary>
    private sealed class ScaledByFour : IRingConvolution
    {
        public string Name => "direct×4";
        public bool Supports(ConvolutionGeometry geometry) => geometry.KernelHeight == 3;
        public int ExtraScaleBits(ConvolutionGeometry geometry) => 2;

        public void Convolve(CoPriv.Protocols.Core.Ring ring, ConvolutionGeometry g, ReadOnlySpan<ulong> input, ReadOnlySpan<ulong> weights, Span<ulong> output)
        {
            DirectRingConvolution.Instance.Convolve(ring, g, input, weights, output);
            ring.ShiftLeft(output, 2, output);
        }
    }

    [Fact]
    public void PluggedConvolutionAlgorithm_ItsExtraScaleGoesIntoTheTruncation_AndResultsStayBitExact()
    {
        var graph = TestModels.Tiny(convBias: false);
        var policy = FixedPointPolicy.Default with { BatchNorm = BatchNormLowering.ElementwiseProduct, TruncateBeforeBatchNorm = true };
        var direct = FixedPointLowering.Lower(graph, policy with { TruncateAfterRelu = false });
        var plugged = FixedPointLowering.Lower(graph, policy with
        {
            TruncateAfterRelu = false,
            SelectConvolution = g => g.KernelHeight == 3 ? new ScaledByFour() : DirectRingConvolution.Instance,
        });
        var conv = plugged.OperationsOf<RingConvolution>().Single();
        Assert.Equal("direct×4", conv.Algorithm.Name);
        Assert.Equal(24, conv.OutputScale);
        Assert.Equal(13, plugged.OperationsOf<RingTruncate>().First().Shift);
        var image = TestModels.RandomImage(graph.InputShape, 4);
        // floor(4x / 2^(s+2)) = floor(x / 2^s): everything after the first truncation is identical.
        Assert.Equal(FixedPointReferenceExecutor.Run(direct, image).Logits.Data, FixedPointReferenceExecutor.Run(plugged, image).Logits.Data);
    }

    [Fact]
    public void UnsupportedGeometryForTheSelectedAlgorithm_IsRejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => FixedPointLowering.Lower(ModelZoo.Create("minionn", new ZooOptions(WidthMultiplier: 0.125)),
            FixedPointPolicy.Default with { SelectConvolution = _ => new ScaledByFour() }));
        Assert.Contains("node 'conv6'", e.Message);
    }
}
