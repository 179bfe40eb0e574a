using CoPriv.Models.Execution;
using CoPriv.Models.Lowering;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Tests;

/// <summary>The zoo's models at full width, as the secure engine will run them.</summary>
public class FullSizeModelTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("cryptflow2")]
    public void ResNet32Sci_FullWidth_FitsTheRingAndTracksTheFloatLogits(string policyName)
    {
        var graph = ModelZoo.Create("resnet32-sci");
        var policy = policyName == "default" ? FixedPointPolicy.Default : FixedPointPolicy.CrypTFlow2;
        var image = TestModels.RandomImage(graph.InputShape, 1234);
        var run = FixedPointReferenceExecutor.Run(FixedPointLowering.Lower(graph, policy), image);
        var expected = FloatExecutor.Run(graph, image).Data;
        var actual = run.DecodedLogits.Data;
        // CrypTFlow2's 3s-scaled BatchNorm outputs (33 fractional bits of 41) leave the least room; ≥ 2 bits remain.
        Assert.True(run.MinimumHeadroomBits >= 2, $"headroom {run.MinimumHeadroomBits} bits");
        // The zoo's classifier scales the features' variation between inputs to logits of standard deviation 1, and
        // their fixed-point error with it: up to 0.19 over 8 inputs, so 0.25 (the agreement tests' ε).
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 0.25);
    }

    [Fact]
    public void ResNet18AndMobileNetV2_FullWidth_AgreeWithOnnxRuntime()
    {
        foreach (string name in new[] { "resnet18", "mobilenetv2" })
        {
            var graph = ModelZoo.Create(name);
            using var ort = new OnnxRuntimeOracle(graph);
            var image = TestModels.RandomImage(graph.InputShape, 8);
            var ours = FloatExecutor.Run(graph, image).Data;
            var theirs = ort.Run(image);
            double range = ours.Max() - ours.Min();
            for (int i = 0; i < ours.Length; i++) Assert.Equal(ours[i], theirs[i], 1e-4 * range + 1e-4);
            var run = FixedPointReferenceExecutor.Run(FixedPointLowering.Lower(graph), image);
            Assert.True(run.MinimumHeadroomBits >= 2, $"{name}: headroom {run.MinimumHeadroomBits} bits");
        }
    }
}
