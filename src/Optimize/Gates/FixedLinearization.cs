using static TorchSharp.torch;

namespace CoPriv.Optimize;

/// <summary>The fine-tuning's activations: the named nodes output their input (identity), the others σ(x).</summary>
internal sealed class FixedLinearization(IEnumerable<string> linearNodes) : IActivationRewrite
{
    private readonly HashSet<string> _linear = new(linearNodes, StringComparer.Ordinal);

    public Tensor Apply(string node, Tensor input, Tensor activated) => _linear.Contains(node) ? input : activated;
}
