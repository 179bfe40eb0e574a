using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// Exact truncation: out = floor(signed(in) / 2^<see cref="Shift"/>) mod 2^ℓ (an arithmetic right shift).
/// <see cref="InputNonNegative"/> says the input is known to be ≥ 0 (it follows a ReLU), so a secure protocol may
/// skip computing its sign.
/// </summary>
public sealed class RingTruncate : RingOperation
{
    internal RingTruncate(string name, string sourceNode, string input, string output, TensorShape shape, int inputScale, int shift, bool inputNonNegative)
        : base(name, sourceNode, [input], output, shape, inputScale - shift)
    {
        Shift = shift;
        InputNonNegative = inputNonNegative;
    }

    public int Shift { get; }
    public bool InputNonNegative { get; }

    public override string Kind => "Truncate";
}
