using CoPriv.Inference.Planning;
using CoPriv.Models.Lowering;
using CoPriv.Models.Zoo;
using Xunit;
using Xunit.Abstractions;

namespace CoPriv.Inference.Tests;

/// <summary>
/// Where <see cref="SecureInferencePolicy.DefaultWeightBitsAtScale11"/> comes from: the bits of two's complement every
/// linear layer's server operand (the weights as copriv's protocols use them: BatchNorm folded, Winograd F(2×2,3×3)
/// and polyphase transforms included) needs, over every zoo model at s = 11, measured with no reduction (B = ℓ).
/// </summary>
public sealed class ZooWeightBitWidthTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models() => [.. ModelZoo.Names];

    [Theory]
    [MemberData(nameof(Models))]
    public void Zoo_model_weights_fit_the_default_weight_bit_width(string model)
    {
        var policy = SecureInferencePolicy.CoPriv(weightBits: FixedPointPolicy.DefaultRingBits);
        var graph = ModelZoo.Create(model);
        var needed = SecureInferencePlan.WeightBitsNeeded(FixedPointLowering.Lower(graph, policy.FixedPoint), policy);
        var widest = needed.MaxBy(l => l.Bits);
        output.WriteLine($"{model}: {widest.Bits} bits at most ({widest.Layer}); per layer: {string.Join(", ", needed.Select(l => $"{l.Layer} {l.Bits}"))}");
        Assert.True(widest.Bits <= SecureInferencePolicy.DefaultWeightBitsAtScale11,
            $"{model}'s {widest.Layer} needs {widest.Bits} bits, more than the default B = {SecureInferencePolicy.DefaultWeightBitsAtScale11}");
    }
}
