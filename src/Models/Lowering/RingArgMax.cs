using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// out = [index of the largest signed value] (the first one on ties), an integer at scale 0: the prediction, the only
/// thing the client learns when the program ends with it.
/// </summary>
public sealed class RingArgMax : RingOperation
{
    internal RingArgMax(string name, string sourceNode, string input, string output)
        : base(name, sourceNode, [input], output, TensorShape.Vector(1), 0) { }

    public override string Kind => "ArgMax";
}
