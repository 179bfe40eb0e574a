using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Operators;

/// <summary>
/// One <see cref="RingOperation"/> of a lowered program as both parties run it on additive shares: which protocol,
/// its exact traffic (the protocols' static cost functions), and the run itself. Built from the server's program
/// (with weights) at the server and from the parameter-free view at the client and in the plan; the public parts
/// (kind, shapes, protocol, cost) are the same in all three.
/// </summary>
internal abstract class SecureOperation
{
    private protected SecureOperation(RingOperation operation, SecureInferencePolicy policy, string layerName)
    {
        Operation = operation;
        Policy = policy;
        LayerName = layerName;
        Ring = new Ring(policy.RingBits);
    }

    public RingOperation Operation { get; }
    public SecureInferencePolicy Policy { get; }

    /// <summary>The layer this operation is booked to (also names its streams).</summary>
    public string LayerName { get; }

    public Ring Ring { get; }

    /// <summary>The operator name within its layer and in the traffic meter ("conv", "relu", "truncate", …).</summary>
    public abstract string OperatorName { get; }

    public abstract OperatorCategory Category { get; }

    /// <summary>Which protocol runs it, for reports ("im2col OT product, client receives", …).</summary>
    public abstract string Protocol { get; }

    /// <summary>The exact traffic of <see cref="Run"/>, per direction and phase, and its rounds.</summary>
    public abstract CommunicationCost Cost { get; }

    /// <summary>
    /// Runs this party's side: <paramref name="inputs"/> are its shares of the operation's inputs, the result its
    /// share of the output. The peer runs the same operation at the same time.
    /// </summary>
    public abstract ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs);

    /// <summary>
    /// Pre-processing ahead (<see cref="PreprocessMode.Ahead"/>): runs this party's input-independent part of
    /// <see cref="Run"/> now — a linear layer's OTs on the client's mask, a comparison's bit triples into the party's
    /// store — and returns what <see cref="Run(PartyContext, IReadOnlyList{ulong[]}, object?)"/> needs of it later
    /// (null: nothing, or nothing beyond the triple store). The peer calls it at the same point.
    /// </summary>
    public virtual object? Preprocess(PartyContext ctx) => null;

    /// <summary>The online part after <see cref="Preprocess"/> returned <paramref name="prepared"/>.</summary>
    public virtual ulong[] Run(PartyContext ctx, IReadOnlyList<ulong[]> inputs, object? prepared) => Run(ctx, inputs);

    /// <summary>Bytes of this party's secrets <paramref name="prepared"/> holds until the online part uses them.</summary>
    public virtual long HeldBytes(object prepared) => 0;

    /// <summary>Whether the policy pre-processes ahead (comparisons then take their triples from the store).</summary>
    private protected bool Ahead => Policy.Preprocess == PreprocessMode.Ahead;

    /// <summary>
    /// The traffic of one non-linear call that uses <paramref name="triples"/> bit triples, given its cost for a triple
    /// source: made in the call (inline), or, ahead, filled into the store in pre-processing and taken from it.
    /// </summary>
    private protected CommunicationCost CallCost(long triples, Func<TripleSource, CommunicationCost> cost) =>
        Ahead && triples > 0
            ? BitTripleStore.FillCost(checked((int)triples), Policy.Ot.Costs) + cost(TripleSource.Store)
            : cost(TripleSource.Inline);

    /// <summary>
    /// Ahead, fills the party's triple store with what the calls over <paramref name="n"/> items will take, one fill
    /// per call as <see cref="NonLinearBatches.Split"/> cuts them (each its <see cref="CallCost"/>'s fill).
    /// </summary>
    private protected void FillTriples(PartyContext ctx, int n, Func<int, long> triplesPerCall, int perCall = NonLinearBatches.MaxElements)
    {
        if (!Ahead) return;
        foreach (var (_, count) in NonLinearBatches.Split(n, perCall))
            if (triplesPerCall(count) is var triples and > 0) BitTripleStore.Fill(ctx, checked((int)triples));
    }

    /// <summary>
    /// The public bit-width B of the server's operand of a linear operation (the weights as its protocol uses them),
    /// the OT choices per weight when the server receives; null for the other operations.
    /// </summary>
    public virtual int? WeightBits => null;

    /// <summary>
    /// The server's side: the bits its operand needs (0 for operations without one); building it refuses an operand
    /// wider than <see cref="WeightBits"/>, in one line naming the layer and the bits it needs.
    /// </summary>
    public virtual int WeightBitsNeeded() => 0;

    /// <summary>Everything both parties must agree on about this operation, for the plan fingerprint.</summary>
    public string Signature => $"{Operation} | {OperatorName} | {Protocol} | {Details} | B {WeightBits} | {Cost}";

    /// <summary>Public parameters not visible in the operation's shapes (geometry, shifts, bounds).</summary>
    private protected virtual string Details => Operation switch
    {
        RingScaleUp up => $"shift {up.Shift}",
        RingZeroPadShortcut s => $"stride {s.Stride}, pad before {s.PadBefore}",
        RingRelu6 r => r.KeptChannels is null ? $"bound {r.UpperBound}" : $"bound {r.UpperBound}, {ChannelMask.Describe("kept channels", r.KeptChannels)}",
        RingRelu r => ChannelMask.Describe("kept channels", r.KeptChannels),
        RingTruncate t => ChannelMask.Describe("non-negative channels", t.NonNegativeChannels),
        RingAveragePool p => Window(p.Pool),
        RingMaxPool p => Window(p.Pool),
        RingConvolution c => $"{c.Geometry} {c.Algorithm.Name} bias {c.Bias is not null}",
        RingFullyConnected f => $"{f.InFeatures}→{f.OutFeatures} bias {f.Bias is not null}",
        _ => "",
    };

    private static string Window(CoPriv.Models.Graph.Pooling2d p) =>
        $"{p.KernelHeight}×{p.KernelWidth} stride {p.StrideHeight}×{p.StrideWidth} {p.Padding}";

    /// <summary>The secure form of a ring operation under a policy.</summary>
    public static SecureOperation For(RingOperation operation, IReadOnlyList<TensorShape> inputShapes, SecureInferencePolicy policy,
        string layerName) => operation switch
    {
        RingConvolution conv => new SecureConvolution(conv, policy, layerName),
        RingFullyConnected fc => new SecureFullyConnected(fc, policy, layerName),
        RingBatchNorm bn => new SecureBatchNorm(bn, policy, layerName),
        RingRelu relu => new SecureRelu(relu, policy, layerName),
        RingRelu6 relu6 => new SecureRelu6(relu6, policy, layerName),
        RingTruncate truncate => new SecureTruncation(truncate, policy, layerName),
        RingAveragePool pool => new SecureAveragePool(pool, inputShapes[0], policy, layerName),
        RingMaxPool pool => new SecureMaxPool(pool, inputShapes[0], policy, layerName),
        RingArgMax argmax => new SecureArgMax(argmax, inputShapes[0].ElementCount, policy, layerName),
        RingBiasMap map => new SecureBiasMap(map, policy, layerName),
        { IsLocal: true } => new LocalOperation(operation, inputShapes[0], policy, layerName),
        _ => throw new NotSupportedException($"operation '{operation.Name}': the secure engine has no protocol for {operation.Kind}"),
    };

    /// <summary>", client receives" or ", server receives": who is the OT receiver of a linear layer's products.</summary>
    private protected static string ReceiverSuffix(Protocols.Linear.OtOrientation orientation) =>
        orientation == Protocols.Linear.OtOrientation.ClientReceives ? ", client receives" : ", server receives";
}
