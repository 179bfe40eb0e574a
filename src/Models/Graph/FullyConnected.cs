using CoPriv.Models.Tensors;

namespace CoPriv.Models.Graph;

/// <summary>
/// y = W·x + b on a vector: weights [out features, in features] row-major (ONNX Gemm with transB = 1), optional bias.
/// </summary>
public sealed class FullyConnected : LayerOperator
{
    public FullyConnected(int inFeatures, int outFeatures, double[] weights, double[]? bias = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"fully connected sizes must be positive, got {inFeatures} → {outFeatures}");
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != inFeatures * outFeatures)
            throw new ArgumentException($"fully connected weights [{outFeatures}, {inFeatures}] need {inFeatures * outFeatures} values, got {weights.Length}");
        if (bias is not null && bias.Length != outFeatures)
            throw new ArgumentException($"fully connected bias needs {outFeatures} values, got {bias.Length}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weights = weights;
        Bias = bias;
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }

    /// <summary>[out, in], row-major.</summary>
    public double[] Weights { get; }

    public double[]? Bias { get; }

    public override string Kind => "FC";

    public override long ParameterCount => Weights.Length + (Bias?.Length ?? 0);

    public long MultiplyAccumulates => (long)InFeatures * OutFeatures;

    public FullyConnected WithParameters(double[] weights, double[]? bias) => new(InFeatures, OutFeatures, weights, bias);

    public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs)
    {
        var input = inputs[0];
        if (input.Rank != 1)
            throw new InvalidModelException($"node '{node}': fully connected layer needs a [features] vector (flatten first), got {input}");
        if (input[0] != InFeatures)
            throw new InvalidModelException($"node '{node}': weight has {InFeatures} input features, input has {input[0]}");
        return TensorShape.Vector(OutFeatures);
    }
}
