using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// Exact truncation: out = floor(signed(in) / 2^<see cref="Shift"/>) mod 2^ℓ (an arithmetic right shift).
/// <see cref="InputNonNegative"/> says the input is known to be ≥ 0 (it follows a ReLU), so a secure protocol may
/// skip computing its sign. After a partial activation (<see cref="RingChannelMaskedActivation"/>) only the kept
/// channels are: <see cref="NonNegativeChannels"/> names them, so a protocol may split the tensor.
/// </summary>
public sealed class RingTruncate : RingOperation
{
    internal RingTruncate(string name, string sourceNode, string input, string output, TensorShape shape, int inputScale, int shift,
        bool inputNonNegative, bool[]? nonNegativeChannels = null)
        : base(name, sourceNode, [input], output, shape, inputScale - shift)
    {
        Shift = shift;
        InputNonNegative = inputNonNegative;
        NonNegativeChannels = inputNonNegative ? null : nonNegativeChannels?.ToArray();
    }

    public int Shift { get; }
    public bool InputNonNegative { get; }

    /// <summary>
    /// When the input as a whole may be negative: the channels on which it is known to be ≥ 0 (the kept channels of
    /// the partial activation it follows), or null when none are known.
    /// </summary>
    public bool[]? NonNegativeChannels { get; }

    public override string Kind => "Truncate";
}
