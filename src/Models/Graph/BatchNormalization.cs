using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// Inference-time batch normalisation per channel: y = γ·(x − mean)/√(var + ε) + β, i.e. y = m·x + a with
/// m = γ/√(var + ε) and a = β − m·mean (<see cref="Multiplier"/>, <see cref="Shift"/>).
/// </summary>
public sealed class BatchNormalization : LayerOperator
{
    public BatchNormalization(double[] scale, double[] bias, double[] mean, double[] variance, double epsilon = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(scale);
        int c = scale.Length;
        if (c == 0) throw new ArgumentException("batch normalisation needs at least one channel");
        foreach (var (what, values) in new[] { ("bias", bias), ("mean", mean), ("variance", variance) })
        {
            ArgumentNullException.ThrowIfNull(values, what);
            if (values.Length != c)
                throw new ArgumentException($"batch normalisation {what} has {values.Length} values, scale has {c}");
        }
        if (!(epsilon >= 0)) throw new ArgumentException($"epsilon must be non-negative, got {epsilon}");
        for (int i = 0; i < c; i++)
            if (!(variance[i] + epsilon > 0))
                throw new ArgumentException($"batch normalisation variance + ε of channel {i} is {variance[i] + epsilon}; it must be positive");
        Scale = scale;
        Bias = bias;
        Mean = mean;
        Variance = variance;
        Epsilon = epsilon;
    }

    /// <summary>γ per channel.</summary>
    public double[] Scale { get; }

    /// <summary>β per channel.</summary>
    public double[] Bias { get; }

    public double[] Mean { get; }
    public double[] Variance { get; }
    public double Epsilon { get; }

    public int Channels => Scale.Length;

    public override string Kind => "BatchNorm";

    public override long ParameterCount => 2L * Channels;

    /// <summary>m = γ/√(var + ε) of channel <paramref name="c"/>.</summary>
    public double Multiplier(int c) => Scale[c] / Math.Sqrt(Variance[c] + Epsilon);

    /// <summary>a = β − m·mean of channel <paramref name="c"/>.</summary>
    public double Shift(int c) => Bias[c] - Multiplier(c) * Mean[c];

    public BatchNormalization WithStatistics(double[] mean, double[] variance) => new(Scale, Bias, mean, variance, Epsilon);

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        var input = inputs[0];
        if (input.Rank != 3 && input.Rank != 1)
            throw new InvalidModelException($"node '{node}': batch normalisation needs a [channels, height, width] or [features] input, got {input}");
        if (input[0] != Channels)
            throw new InvalidModelException($"node '{node}': batch normalisation has {Channels} channels, input has {input[0]}");
        return input;
    }
}
