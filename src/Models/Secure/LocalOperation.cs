using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Secure;

/// <summary>
/// The linear steps each party applies to its own share with no traffic: residual additions, scale-ups by a power of
/// two, flattening and the zero-padding shortcut (subsample, add zero channels). The shares still add up to the
/// reference result because each step is linear (zeros stay zeros in both shares).
/// </summary>
internal sealed class LocalOperation : SecureOperation
{
    private readonly TensorShape _input;

    public LocalOperation(RingOperation operation, TensorShape input, SecureInferencePolicy policy, string layerName)
        : base(operation, policy, layerName)
    {
        _input = input;
        if (operation is not (RingAdd or RingScaleUp or RingFlatten or RingZeroPadShortcut))
            throw new ArgumentException($"{operation.Kind} is not a local operation", nameof(operation));
    }

    public override string OperatorName => Operation switch
    {
        RingAdd => "add",
        RingScaleUp => "scaleup",
        RingFlatten => "flatten",
        _ => "shortcut",
    };

    public override OperatorCategory Category => OperatorCategory.Local;
    public override string Protocol => "local";
    public override CommunicationCost Cost => CommunicationCost.Zero;

    public override ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs)
    {
        var x = inputs[0];
        var y = new ulong[Operation.OutputShape.ElementCount];
        switch (Operation)
        {
            case RingAdd:
                Ring.Add(x, inputs[1], y);
                break;
            case RingScaleUp up:
                Ring.ShiftLeft(x, up.Shift, y);
                break;
            case RingFlatten:
                x.CopyTo(y, 0);
                break;
            case RingZeroPadShortcut shortcut:
                ZeroPadShortcut(x, _input, Operation.OutputShape, shortcut, y);
                break;
        }
        return y;
    }

    private static void ZeroPadShortcut(ulong[] x, TensorShape input, TensorShape output, RingZeroPadShortcut s, ulong[] y)
    {
        int inH = input.Height, inW = input.Width, outH = output.Height, outW = output.Width;
        for (int c = 0; c < input.Channels; c++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                    y[((c + s.PadBefore) * outH + oy) * outW + ox] = x[(c * inH + oy * s.Stride) * inW + ox * s.Stride];
    }
}
