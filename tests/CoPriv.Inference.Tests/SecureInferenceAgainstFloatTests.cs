using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Execution;
using CoPriv.Models.Inputs;
using CoPriv.Models.Lowering;
using Xunit.Abstractions;

namespace CoPriv.Inference.Tests;

/// <summary>
/// Secure runs judged by the float executor, not only by the fixed-point reference: the reference and the parties'
/// local steps share code (and both follow the lowering), so only an engine independent of the ring tells whether
/// the revealed logits mean what the model means.
/// </summary>
public class SecureInferenceAgainstFloatTests(ITestOutputHelper output)
{
    /// <summary>
    /// 4 ulps of 2⁻ˢ per multiply-accumulate term of the products on the path (fan-ins 27, 72, 16 and 8 = 123): each
    /// term's input and weight round by half an ulp (|x|, |w| ≤ 4), each truncation floors by one more, and the
    /// layers' weights (σ ≤ 0.3, and 0.8 on the 8-input classifier) carry earlier errors at about their size.
    /// </summary>
    private static readonly double LogitTolerance = 4.0 * (27 + 72 + 16 + 8) * Math.Pow(2, -FixedPointPolicy.DefaultScale);

    /// <remarks>
    /// copriv at its default weight bit-width finds im2col cheaper than the transforms on this small model's layers, so
    /// the transform-domain rows run with B = ℓ and one more row runs the default B (im2col, the server receiving with
    /// B OTs per weight).
    /// </remarks>
    [Theory]
    [InlineData("cryptflow2", null)]
    [InlineData("copriv", FixedPointPolicy.DefaultRingBits)]
    [InlineData("copriv-f4", FixedPointPolicy.DefaultRingBits)]
    [InlineData("copriv", null)]
    public void RevealedLogits_OfShortcutsPoolsAndSignUnknownTruncation_MatchTheFloatExecutor(string protocol, int? weightBits)
    {
        var model = SecureTestModels.ShortcutsPoolsAndSignUnknownTruncation();
        var policy = SecureInferencePolicy.Parse(protocol, weightBits: weightBits);
        for (ulong seed = 1; seed <= 2; seed++)
        {
            var image = InputImages.Random(model.InputShape, seed).Image;
            var result = SecureInference.RunInProcess(model, image, policy, new InferenceOptions { Seed = seed });
            var program = result.Server.Plan.Program;
            AssertExercisesEveryOperatorKind(program, weightBits is null && protocol == "copriv" ? "copriv-default-bits" : protocol);

            var revealed = Revealed(result, program);
            var exact = FloatExecutor.Run(model, image).Data;
            double largestError = 0;
            for (int i = 0; i < exact.Length; i++)
            {
                largestError = Math.Max(largestError, Math.Abs(revealed[i] - exact[i]));
                Assert.True(Math.Abs(revealed[i] - exact[i]) <= LogitTolerance,
                    $"{protocol}, input {seed}, logit {i}: revealed {revealed[i]}, float executor {exact[i]}, tolerance {LogitTolerance}");
            }
            var ranked = exact.OrderDescending().ToArray();
            if (ranked[0] - ranked[1] > 2 * LogitTolerance)
                Assert.Equal(Array.IndexOf(exact, ranked[0]), result.PredictedClass);
            output.WriteLine($"{protocol}, input {seed}: largest logit error {largestError:E2} (tolerance {LogitTolerance:E2}), " +
                $"margin {ranked[0] - ranked[1]:F3}, class {result.PredictedClass}");
        }
    }

    /// <summary>
    /// The cheaper truncation for non-negative inputs still floors a negative x correctly unless its random shares
    /// straddle the ring's midpoint, which happens with probability 2|x| / 2^ℓ: about 2⁻¹⁶ per element at ℓ = 41 for
    /// these magnitudes, so mistaking a sign-unknown input for a non-negative one would pass every run at the
    /// default ring. At ℓ = 24, s = 8 the values are 2⁻⁵ of the ring and 2,048 of them make a mistaken sign show
    /// (a wrapped element is off by 2^(ℓ−2s) = 256 before the 1×1 conv). Tolerance: 4 ulps of 2⁻⁸ per
    /// multiply-accumulate term (fan-ins 27 and 8), as above.
    /// </summary>
    [Fact]
    public void SignUnknownTruncations_OnANarrowRing_MatchTheFloatExecutor()
    {
        const int ringBits = 24, scale = 8;
        var model = SecureTestModels.ManySignUnknownTruncations();
        var policy = SecureInferencePolicy.CrypTFlow2(ringBits, scale);
        var image = InputImages.Random(model.InputShape, 3).Image;
        var result = SecureInference.RunInProcess(model, image, policy, new InferenceOptions { Seed = 3 });
        var program = result.Server.Plan.Program;
        Assert.Contains(program.Operations, o => o is RingTruncate { InputNonNegative: false, OutputShape.ElementCount: 2048 });

        double tolerance = 4.0 * (27 + 8) * Math.Pow(2, -scale);
        var revealed = Revealed(result, program);
        var exact = FloatExecutor.Run(model, image).Data;
        Assert.Contains(exact, v => v < -1);
        for (int i = 0; i < exact.Length; i++)
            Assert.True(Math.Abs(revealed[i] - exact[i]) <= tolerance,
                $"output {i}: revealed {revealed[i]}, float executor {exact[i]}, tolerance {tolerance}");
    }

    private static double[] Revealed(SecureInferenceResult result, LoweredProgram program)
    {
        var ring = program.Ring;
        var server = result.Server.ShareOf(program.LogitsName);
        var client = result.Client.ShareOf(program.LogitsName);
        return server.Select((share, i) => ring.ToSigned(ring.Reduce(share + client[i])) / Math.Pow(2, program.LogitsScale)).ToArray();
    }

    private static void AssertExercisesEveryOperatorKind(LoweredProgram program, string protocol)
    {
        var ops = program.Operations;
        Assert.Contains(ops, o => o is RingTruncate { InputNonNegative: false });
        Assert.Contains(ops, o => o is RingTruncate { InputNonNegative: true });
        Assert.Contains(ops, o => o is RingZeroPadShortcut { Stride: 2 });
        Assert.Contains(ops, o => o is RingAveragePool);
        Assert.Contains(ops, o => o is RingMaxPool);
        Assert.Contains(ops, o => o is RingRelu6);
        if (protocol == "cryptflow2")
            Assert.Contains(ops, o => o is RingBatchNorm);
        else if (protocol == "copriv-default-bits")
            Assert.DoesNotContain(ops, o => o is RingBatchNorm);
        else
        {
            Assert.DoesNotContain(ops, o => o is RingBatchNorm);
            Assert.Contains(ops, o => o is RingConvolution { Algorithm: PolyphaseRingConvolution });
            Assert.Contains(ops, o => o is RingConvolution { Algorithm: WinogradRingConvolution });
        }
    }
}
