using CoPriv.Models.Graph;

namespace CoPriv.Models.Zoo;

/// <summary>
/// Makes layers with realistic default parameters from a seed: He-normal convolution and fully connected weights
/// (σ = √(2 / fan-in)), small biases, BatchNorm γ in [0.5, 1], β ~ N(0, 0.1) and placeholder statistics that
/// <see cref="ZooCalibration"/> then sets. Each layer draws from its own stream keyed by its name.
/// </summary>
internal sealed class SeededLayers(ulong seed)
{
    public Convolution Conv(string name, int inChannels, int outChannels, int kernel, int stride, Padding2d padding,
        int groups = 1, bool bias = false)
    {
        var rng = SeededRandom.ForPart(seed, name);
        int fanIn = inChannels / groups * kernel * kernel;
        var weights = rng.Gaussian(outChannels * fanIn, Math.Sqrt(2.0 / fanIn));
        var b = bias ? rng.Gaussian(outChannels, 0.05) : null;
        return new Convolution(inChannels, outChannels, kernel, kernel, weights, b, stride, stride, padding, groups);
    }

    public BatchNormalization BatchNorm(string name, int channels)
    {
        var rng = SeededRandom.ForPart(seed, name);
        var gamma = new double[channels];
        for (int c = 0; c < channels; c++) gamma[c] = rng.NextUniform(0.5, 1.0);
        var beta = rng.Gaussian(channels, 0.1);
        var mean = new double[channels];
        var variance = Enumerable.Repeat(1.0, channels).ToArray();
        return new BatchNormalization(gamma, beta, mean, variance);
    }

    public FullyConnected Dense(string name, int inFeatures, int outFeatures)
    {
        var rng = SeededRandom.ForPart(seed, name);
        var weights = rng.Gaussian(inFeatures * outFeatures, Math.Sqrt(2.0 / inFeatures));
        return new FullyConnected(inFeatures, outFeatures, weights, rng.Gaussian(outFeatures, 0.05));
    }
}
