using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// BatchNorm as an element-wise product: out[c, i] = m_c·in[c, i] + a_c mod 2^ℓ, with the server's multipliers m at
/// <see cref="MultiplierScale"/> and shifts a at the output scale (input scale + multiplier scale). Securely, one
/// OT-based product per element (the multiplier is the server's, the activation is shared).
/// </summary>
public sealed class RingBatchNorm : RingOperation
{
    internal RingBatchNorm(string name, string sourceNode, string input, string output, TensorShape shape,
        ulong[] multipliers, ulong[] shifts, int inputScale, int multiplierScale)
        : base(name, sourceNode, [input], output, shape, inputScale + multiplierScale)
    {
        Multipliers = multipliers;
        Shifts = shifts;
        InputScale = inputScale;
        MultiplierScale = multiplierScale;
    }

    /// <summary>One per channel (the first dimension of the tensor).</summary>
    public ulong[] Multipliers { get; }

    public ulong[] Shifts { get; }
    public int InputScale { get; }
    public int MultiplierScale { get; }
    public int Channels => Multipliers.Length;

    public override string Kind => "BatchNorm";

    public override RingOperation WithoutParameters() => new RingBatchNorm(Name, SourceNode, Inputs[0], Output,
        OutputShape, new ulong[Multipliers.Length], new ulong[Shifts.Length], InputScale, MultiplierScale);
}
