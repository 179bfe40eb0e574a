using CoPriv.Inference.Planning;
using CoPriv.Models.Inputs;
using CoPriv.Models.Lowering;
using CoPriv.Models.Zoo;
using CoPriv.Models.Tests;
using Xunit.Abstractions;

namespace CoPriv.Inference.Tests;

/// <summary>
/// The fixed-point programs the secure policies run, against ONNX Runtime on the exported float model, over the
/// project's random N(0, 1) images. A model that predicts one class for every input would agree trivially, so each
/// test first asks that the float predictions spread over the classes.
/// </summary>
public class FixedPointAgreementTests(ITestOutputHelper output)
{
    private const int Inputs = 200;

    /// <summary>
    /// Where the float model's two best logits are closer than this, the fixed-point argmax may legitimately pick
    /// the other one, so such inputs are not counted. A logit error of at most ε can flip the argmax only if the
    /// margin is below 2ε. ε = 2⁻² (512 ulps of 2⁻¹¹ at s = 11): each of these reduced-width networks' ~33
    /// truncations floors by up to one ulp per element, weights round by half an ulp (BatchNorm folding enlarges
    /// some), and the zoo's classifier scales the features' variation up to logits of standard deviation 1; the
    /// largest logit errors measured over 20 inputs are 0.13 (ResNet-32), 0.18 (ResNet-32-SCI, folded BatchNorm),
    /// 0.11 (ResNet-32-SCI, element-wise BatchNorm) and 0.06 (MiniONN).
    /// </summary>
    private const double MarginAboveFixedPointError = 2 * 0.25;

    /// <summary>The fixed-point program a policy runs: copriv's includes its Winograd and polyphase convolutions.</summary>
    private static FixedPointPolicy PolicyNamed(string name) => SecureInferencePolicy.Parse(name).FixedPoint;

    [Theory]
    [InlineData("resnet32", "copriv", 20)]
    [InlineData("resnet32", "cryptflow2", 20)]
    [InlineData("resnet32-sci", "copriv", 20)]
    [InlineData("resnet32-sci", "cryptflow2", 20)]
    [InlineData("minionn", "copriv", 5)]
    public void FixedPointArgMax_AgreesWithOnnxRuntime_WhereTheFloatMarginExceedsTheFixedPointError(
        string model, string policyName, int minimumDistinctClasses)
    {
        var graph = ModelZoo.Create(model, new ZooOptions(Seed: 5, WidthMultiplier: 0.25));
        var program = FixedPointLowering.Lower(graph, PolicyNamed(policyName));
        using var ort = new OnnxRuntimeOracle(graph);
        var floatClasses = new HashSet<int>();
        int clearMargins = 0, agreeOnClearMargins = 0, agreeOverall = 0;
        for (ulong seed = 100; seed < 100 + Inputs; seed++)
        {
            var image = InputImages.Random(graph.InputShape, seed).Image;
            var logits = ort.Run(image);
            int floatClass = Array.IndexOf(logits, logits.Max());
            floatClasses.Add(floatClass);
            var ranked = logits.OrderDescending().ToArray();
            bool agrees = FixedPointReferenceExecutor.Run(program, image).Prediction == floatClass;
            if (agrees) agreeOverall++;
            if (ranked[0] - ranked[1] <= MarginAboveFixedPointError) continue;
            clearMargins++;
            if (agrees) agreeOnClearMargins++;
        }
        output.WriteLine($"{model} {policyName}: {floatClasses.Count} distinct classes, agreement {agreeOverall}/{Inputs} overall, " +
            $"{agreeOnClearMargins}/{clearMargins} where the margin exceeds {MarginAboveFixedPointError}");
        Assert.True(floatClasses.Count >= minimumDistinctClasses,
            $"ONNX Runtime predicted only {floatClasses.Count} distinct classes for {Inputs} inputs");
        Assert.True(clearMargins >= Inputs / 5, $"only {clearMargins} of {Inputs} inputs have a margin above {MarginAboveFixedPointError}");
        Assert.True(agreeOnClearMargins >= 0.99 * clearMargins,
            $"fixed-point argmax agreed with ONNX Runtime on {agreeOnClearMargins} of the {clearMargins} inputs whose margin exceeds {MarginAboveFixedPointError}");
    }
}
