using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Lowering;

/// <summary>The result of a cleartext fixed-point run: every ring tensor by name, the logits and the prediction.</summary>
public sealed class FixedPointRun
{
    internal FixedPointRun(LoweredProgram program, IReadOnlyDictionary<string, RingTensor> values)
    {
        Program = program;
        Values = values;
    }

    public LoweredProgram Program { get; }

    /// <summary>The input and every operation's output.</summary>
    public IReadOnlyDictionary<string, RingTensor> Values { get; }

    public RingTensor Output => Values[Program.Output];
    public RingTensor Logits => Values[Program.LogitsName];

    /// <summary>The predicted class: the argmax operation's result, or the argmax of the logits.</summary>
    public int Prediction => Program.Output != Program.LogitsName
        ? (int)Output.Data[0]
        : ArgMaxOfSigned(Program.Ring, Logits.Data);

    /// <summary>The logits as reals (signed reading / 2^scale).</summary>
    public Tensor DecodedLogits => Logits.Decode(Program.Ring);

    /// <summary>
    /// Bits to spare in a tensor: ℓ − 1 minus the bit length of its largest magnitude. Negative would mean a wrap;
    /// small values warn that the ring is nearly too narrow for this input.
    /// </summary>
    public int HeadroomBits(string tensor)
    {
        var ring = Program.Ring;
        long max = 0;
        foreach (ulong v in Values[tensor].Data)
        {
            long s = ring.ToSigned(v);
            max = Math.Max(max, s == long.MinValue ? long.MaxValue : Math.Abs(s));
        }
        int bits = 64 - (int)ulong.LeadingZeroCount((ulong)max);
        return ring.Bits - 1 - bits;
    }

    /// <summary>The smallest <see cref="HeadroomBits"/> over all tensors of the run.</summary>
    public int MinimumHeadroomBits => Values.Keys.Min(HeadroomBits);

    internal static int ArgMaxOfSigned(Ring ring, ReadOnlySpan<ulong> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (ring.ToSigned(values[i]) > ring.ToSigned(values[best])) best = i;
        return best;
    }
}
