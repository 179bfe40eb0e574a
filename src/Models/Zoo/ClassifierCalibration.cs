using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Zoo;

/// <summary>
/// Centres and scales a seeded classifier on calibration inputs, as training would. He-normal weights on the pooled
/// features of random inputs give every input nearly the same logits (features vary little between inputs; their
/// common part, times random weights, favours one class), so the network would predict one class for every image.
/// Subtracting each class's mean logit (through the bias) leaves only what varies between inputs, and scaling the
/// weights and bias so those centred logits have a standard deviation of <see cref="LogitSpread"/> makes the class
/// margins O(1) — well above the fixed-point error — and spreads predictions over the classes.
/// </summary>
internal static class ClassifierCalibration
{
    /// <summary>The standard deviation of the centred logits over calibration inputs and classes.</summary>
    public const double LogitSpread = 1.0;

    /// <summary>The classifier with the same shape, its logits on <paramref name="features"/> centred per class and scaled.</summary>
    public static FullyConnected Calibrate(FullyConnected classifier, IReadOnlyList<Tensor> features)
    {
        int classes = classifier.OutFeatures;
        var logits = features.Select(f => FloatKernels.Evaluate(classifier, [f], TensorShape.Vector(classes)).Data).ToArray();
        var mean = new double[classes];
        foreach (var l in logits)
            for (int c = 0; c < classes; c++) mean[c] += l[c] / logits.Length;
        double sumSquares = 0;
        foreach (var l in logits)
            for (int c = 0; c < classes; c++) sumSquares += (l[c] - mean[c]) * (l[c] - mean[c]);
        double spread = Math.Sqrt(sumSquares / (logits.Length * classes));
        // One calibration input (or identical features) leaves nothing to scale by: centring alone must do.
        double gain = spread > 1e-12 ? LogitSpread / spread : 1.0;
        var weights = classifier.Weights.Select(w => w * gain).ToArray();
        var bias = Enumerable.Range(0, classes).Select(c => gain * ((classifier.Bias?[c] ?? 0) - mean[c])).ToArray();
        return classifier.WithParameters(weights, bias);
    }
}
