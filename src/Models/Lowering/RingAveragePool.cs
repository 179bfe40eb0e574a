using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// out = floor(signed(Σ window) / <see cref="Divisor"/>), the window sum taken mod 2^ℓ with padding as zeros and the
/// divisor the window size. The sum is local; the division by a public constant is a protocol (a truncation when the
/// divisor is a power of two). Global average pooling is the case kernel = input size.
/// </summary>
public sealed class RingAveragePool : RingOperation
{
    internal RingAveragePool(string name, string sourceNode, string input, string output, TensorShape outputShape, int scale,
        AveragePool pool)
        : base(name, sourceNode, [input], output, outputShape, scale)
    {
        Pool = pool;
    }

    /// <summary>Window geometry.</summary>
    public AveragePool Pool { get; }

    public int Divisor => Pool.WindowSize;

    public override string Kind => "AvgPool";
}
