using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Operators;

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
        if (!operation.IsLocal)
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
        // Every input of a local step has the first one's shape (an addition's two, or the one of the others).
        var y = new ulong[Operation.OutputShape.ElementCount];
        FixedPointReferenceExecutor.Execute(Ring, Operation, inputs.Select(x => new RingTensor(_input, x, 0)).ToArray(), y);
        return y;
    }
}
