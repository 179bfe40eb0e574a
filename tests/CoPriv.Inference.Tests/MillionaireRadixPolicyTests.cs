using CoPriv.Inference.Planning;
using CoPriv.Models.Zoo;

namespace CoPriv.Inference.Tests;

/// <summary>
/// The copriv policies pick the millionaires' radix that sends the fewest bytes at their ℓ; cryptflow2 keeps SCI's
/// m = 4. At the default ℓ = 41 the pick is m = 5 (8 digits of the 40 compared bits, an AND tree of 3 levels), and a
/// whole network then sends fewer bytes than under m = 4, online and in total.
/// </summary>
public class MillionaireRadixPolicyTests
{
    [Fact]
    public void At_the_default_ring_copriv_compares_in_base_32_and_cryptflow2_in_base_16()
    {
        Assert.Equal(5, SecureInferencePolicy.CoPriv().MillionaireRadix);
        Assert.Equal(5, SecureInferencePolicy.CoPrivF4().MillionaireRadix);
        Assert.Equal(4, SecureInferencePolicy.CrypTFlow2().MillionaireRadix);
        Assert.InRange(SecureInferencePolicy.LeanestRadix(32), 2, 8);
    }

    [Fact]
    public void ResNet32_under_copriv_sends_fewer_bytes_with_its_radix_than_with_scis()
    {
        var model = ModelZoo.Create("resnet32", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));
        var policy = SecureInferencePolicy.CoPriv();
        var chosen = SecureInferencePlan.ForModel(model, policy).PredictedCost;
        var sci = SecureInferencePlan.ForModel(model, policy with { MillionaireRadix = 4 }).PredictedCost;
        Assert.True(chosen.OnlineBytes < sci.OnlineBytes, $"online {chosen.OnlineBytes} B at m = 5, {sci.OnlineBytes} B at m = 4");
        Assert.True(chosen.TotalBytes < sci.TotalBytes, $"total {chosen.TotalBytes} B at m = 5, {sci.TotalBytes} B at m = 4");
    }
}
