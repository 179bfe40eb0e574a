using CoPriv.Inference.Planning;
using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Onnx;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;
using CoPriv.Models.Tests;

namespace CoPriv.Inference.Tests;

/// <summary>The fixed-point programs the secure policies run, against ONNX Runtime on the exported float model.</summary>
public class FixedPointAgreementTests
{
    /// <summary>The fixed-point program a policy runs: copriv's includes its Winograd and polyphase convolutions.</summary>
    private static FixedPointPolicy PolicyNamed(string name) => SecureInferencePolicy.Parse(name).FixedPoint;

    [Theory]
    [InlineData("copriv")]
    [InlineData("cryptflow2")]
    public void FixedPointArgMax_AgreesWithOnnxRuntime_OnAtLeast99PercentOfRandomInputs(string policyName)
    {
        var graph = ModelZoo.Create("resnet32", new ZooOptions(Seed: 5, WidthMultiplier: 0.25, Classes: 10));
        var program = FixedPointLowering.Lower(graph, PolicyNamed(policyName));
        using var ort = new OnnxRuntimeOracle(graph);
        const int inputs = 200;
        int agree = 0;
        for (ulong seed = 100; seed < 100 + inputs; seed++)
        {
            var image = TestModels.RandomImage(graph.InputShape, seed);
            var logits = ort.Run(image);
            if (FixedPointReferenceExecutor.Run(program, image).Prediction == Array.IndexOf(logits, logits.Max())) agree++;
        }
        Assert.True(agree >= 0.99 * inputs, $"fixed-point argmax agreed with ONNX Runtime on {agree} of {inputs} inputs");
    }

    /// <summary>
    /// On SCI's ResNet-32 (reduced width) ℓ = 41, s = 11 leaves logit errors of ~0.03; the fixed-point prediction may
    /// differ from ONNX Runtime's only where ONNX Runtime's two best logits are that close (a near tie).
    /// </summary>
    [Theory]
    [InlineData("copriv")]
    [InlineData("cryptflow2")]
    public void FixedPointArgMax_OnSciResNet32_DiffersFromOnnxRuntimeOnlyOnNearTies(string policyName)
    {
        var graph = ModelZoo.Create("resnet32-sci", new ZooOptions(Seed: 5, WidthMultiplier: 0.25, Classes: 10));
        var program = FixedPointLowering.Lower(graph, PolicyNamed(policyName));
        using var ort = new OnnxRuntimeOracle(graph);
        int agree = 0;
        const int inputs = 100;
        for (ulong seed = 300; seed < 300 + inputs; seed++)
        {
            var image = TestModels.RandomImage(graph.InputShape, seed);
            var logits = ort.Run(image);
            int prediction = FixedPointReferenceExecutor.Run(program, image).Prediction;
            if (prediction == Array.IndexOf(logits, logits.Max()))
            {
                agree++;
                continue;
            }
            Assert.True(logits.Max() - logits[prediction] < 0.05,
                $"input {seed}: fixed point chose class {prediction} at {logits[prediction]}, ONNX Runtime's best is {logits.Max()}");
        }
        Assert.True(agree >= 0.95 * inputs, $"agreed on {agree} of {inputs}");
    }
}
