using System.Security.Cryptography;
using System.Text;
using CoPriv.Inference.Operators;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Inference.Planning;

/// <summary>
/// What both parties know before a secure inference: the public architecture of the lowered model (operations,
/// shapes, scales, no weights), the policy, the protocol each layer runs and the exact traffic the cost model
/// predicts for it. The server derives it from its lowered program, the client from the parameter-free view (or the
/// public model); both check at setup that they hold the same plan (<see cref="Fingerprint"/>).
/// </summary>
public sealed class SecureInferencePlan
{
    /// <summary>Bytes each party sends to compare plan fingerprints at setup.</summary>
    public const int FingerprintBytes = 32;

    private readonly IReadOnlyList<LayerOperations> _viewOperations;

    private SecureInferencePlan(LoweredProgram program, SecureInferencePolicy policy, RunSpec? spec, IReadOnlyList<PlannedLayer> layers,
        byte[] fingerprint, IReadOnlyList<LayerOperations> viewOperations)
    {
        _viewOperations = viewOperations;
        Program = program;
        Policy = policy;
        Spec = spec;
        Layers = layers;
        Fingerprint = fingerprint;
        var argmax = program.Operations[^1] as RingArgMax;
        Classes = argmax is null ? 0 : program.Operations.First(o => o.Output == argmax.Inputs[0]).OutputShape.ElementCount;
    }

    /// <summary>The parameter-free program (structure, shapes, scales).</summary>
    public LoweredProgram Program { get; }

    public SecureInferencePolicy Policy { get; }

    /// <summary>
    /// The run spec the plan was made from (model identity, policy, ℓ, s, OT backend), part of the fingerprint; null
    /// for a plan of a caller's own policy.
    /// </summary>
    public RunSpec? Spec { get; }
    public string ModelName => Program.ModelName;
    public TensorShape InputShape => Program.InputShape;
    public Ring Ring => Program.Ring;
    public IReadOnlyList<PlannedLayer> Layers { get; }

    /// <summary>Classes the final argmax chooses from.</summary>
    public int Classes { get; }

    /// <summary>SHA-256 of everything both parties must agree on (run spec, policy, operations, shapes, protocols, costs).</summary>
    public IReadOnlyList<byte> Fingerprint { get; }

    /// <summary>The cost model's prediction for the whole run: the sum over all operators (setup excluded).</summary>
    public CommunicationCost PredictedCost => Layers.Aggregate(CommunicationCost.Zero, (sum, l) => sum + l.Predicted);

    /// <summary>
    /// Setup bytes of both parties: the plan check, the OT backend's setup in both directions and the COT batches the
    /// backend makes for the COTs the layers take (<see cref="PredictedGenerationBytes"/>; none for IKNP).
    /// </summary>
    /// <summary>
    /// What the setup step sends besides the setup itself: under <see cref="PreprocessMode.Ahead"/> every layer's
    /// pre-processing (its rounds not split out), else nothing.
    /// </summary>
    public CommunicationCost PredictedSetupStepPreprocessing =>
        Policy.Preprocess == PreprocessMode.Ahead
            ? Layers.Aggregate(CommunicationCost.Zero, (sum, l) =>
                sum + CommunicationCost.Preprocessing(l.Predicted.PreprocessingServerToClient, l.Predicted.PreprocessingClientToServer, 0))
            : CommunicationCost.Zero;

    /// <summary>
    /// What layer <paramref name="index"/>'s step sends: its whole cost, or under <see cref="PreprocessMode.Ahead"/>
    /// (its pre-processing done in the setup step) its online part (rounds not split out).
    /// </summary>
    public CommunicationCost PredictedLayerStep(int index)
    {
        var cost = Layers[index].Predicted;
        return Policy.Preprocess == PreprocessMode.Ahead ? CommunicationCost.Online(cost.OnlineServerToClient, cost.OnlineClientToServer, 0) : cost;
    }

    public long PredictedSetupBytes => 2 * (FingerprintBytes + Policy.Ot.Costs.SetupBytesPerParty) + PredictedGenerationBytes;

    /// <summary>
    /// Bytes of the COT batches (Ferret's iterations) that run after the setup, in both directions: booked as setup
    /// traffic because they depend on no input and no layer, only on how many COTs each direction's layers take.
    /// </summary>
    public long PredictedGenerationBytes
    {
        get
        {
            var cost = PredictedCost;
            return Policy.Ot.Costs.GenerationBytes(cost.ServerSentCots) + Policy.Ot.Costs.GenerationBytes(cost.ClientSentCots);
        }
    }

    /// <summary>Setup rounds: one flight each for the plan check, then the OT backend's setup.</summary>
    public long PredictedSetupRounds => 2 + Policy.Ot.Costs.SetupRounds;

    /// <summary>Lowers the model under the policy and plans the result (the weights do not enter the plan).</summary>
    public static SecureInferencePlan ForModel(ModelGraph model, SecureInferencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(policy);
        return Create(FixedPointLowering.Lower(model, policy.FixedPoint), policy);
    }

    /// <summary>Lowers the model under the spec's policy and plans the result (the weights do not enter the plan).</summary>
    public static SecureInferencePlan ForModel(ModelGraph model, RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        var policy = spec.Policy();
        return Create(FixedPointLowering.Lower(model, policy.FixedPoint), policy, spec);
    }

    /// <summary>
    /// The plan of a lowered program (either party's view) under the policy it was lowered with, made from
    /// <paramref name="spec"/> when given (its policy, ℓ and s must be the policy's).
    /// </summary>
    public static SecureInferencePlan Create(LoweredProgram program, SecureInferencePolicy policy, RunSpec? spec = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(policy);
        if (spec is not null && (spec.Protocol != policy.Name || spec.RingBits != policy.RingBits || spec.Scale != policy.Scale || spec.Ot != policy.Ot.Name))
            throw new ArgumentException(
                $"the run spec says {spec.Protocol} at ℓ = {spec.RingBits}, s = {spec.Scale} over {spec.Ot}, the policy is {policy.Name} at ℓ = {policy.RingBits}, s = {policy.Scale} over {policy.Ot}");
        if (program.Ring.Bits != policy.RingBits || program.Scale != policy.Scale)
            throw new ArgumentException(
                $"program '{program.ModelName}' is lowered at ℓ = {program.Ring.Bits}, s = {program.Scale}, the policy says ℓ = {policy.RingBits}, s = {policy.Scale}");
        var view = program.HasParameters ? program.WithoutParameters() : program;
        var operations = BuildOperations(view, policy);
        var layers = operations.Select((ops, i) => new PlannedLayer(i, ops.Name, ops.StepName, ops.Node,
            ops.Operations.Select((op, j) => new PlannedOperator(ops.OperatorNames[j], op.Operation.Kind, op.Category, op.Protocol,
                op.Operation.Output, op.Operation.OutputShape, op.Operation.OutputScale, op.Cost) { WeightBits = op.WeightBits }).ToArray())).ToArray();
        return new SecureInferencePlan(view, policy, spec, layers, FingerprintOf(policy, spec, operations), operations);
    }

    /// <summary>
    /// A party's executable form of its own program (the server's carries the weights), checked against this plan.
    /// The plan's own parameter-free program (the client's) needs neither: its operations were built with the plan,
    /// and they hold nothing but public parameters, so every session may run them.
    /// </summary>
    internal IReadOnlyList<LayerOperations> OperationsFor(LoweredProgram program)
    {
        if (ReferenceEquals(program, Program)) return _viewOperations;
        var operations = BuildOperations(program, Policy);
        // The server's operands must fit the plan's public weight bit-width: refused here, before any session.
        if (program.HasParameters) CheckWeightBits(operations);
        if (!FingerprintOf(Policy, Spec, operations).SequenceEqual(Fingerprint))
            throw new ArgumentException($"program '{program.ModelName}' does not match the plan of '{ModelName}' under '{Policy.Name}'");
        return operations;
    }

    /// <summary>
    /// The bits of two's complement the server's operand of every linear layer of <paramref name="program"/> (lowered
    /// with weights under <paramref name="policy"/>) needs, as its protocol uses it (Winograd and polyphase transforms
    /// included), by layer name.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A layer's operand does not fit in the policy's weight bit-width: one line naming the layer and the bits it needs.
    /// </exception>
    public static IReadOnlyList<(string Layer, int Bits)> WeightBitsNeeded(LoweredProgram program, SecureInferencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(policy);
        if (!program.HasParameters)
            throw new ArgumentException($"program '{program.ModelName}' has no weights to measure (it is the parameter-free view)");
        return CheckWeightBits(BuildOperations(program, policy));
    }

    private static IReadOnlyList<(string Layer, int Bits)> CheckWeightBits(IReadOnlyList<LayerOperations> layers) =>
        layers.SelectMany(l => l.Operations.Where(o => o.WeightBits is not null).Select(o => (l.Name, o.WeightBitsNeeded()))).ToArray();

    /// <summary>The operations of one layer as a party runs them, with their operator names.</summary>
    internal sealed record LayerOperations(string Name, string StepName, string Node, IReadOnlyList<SecureOperation> Operations,
        IReadOnlyList<string> OperatorNames);

    private static IReadOnlyList<LayerOperations> BuildOperations(LoweredProgram program, SecureInferencePolicy policy)
    {
        var shapes = new Dictionary<string, TensorShape>(StringComparer.Ordinal) { [program.InputName] = program.InputShape };
        var layers = new List<LayerOperations>();
        var ops = program.Operations;
        for (int start = 0; start < ops.Count;)
        {
            int end = start + 1;
            // The argmax gets a layer of its own: it is the one step whose result the client learns.
            while (end < ops.Count && ops[end].SourceNode == ops[start].SourceNode && ops[end] is not RingArgMax && ops[start] is not RingArgMax)
                end++;
            var group = ops.Skip(start).Take(end - start).ToArray();
            string step = StepNameOf(group.FirstOrDefault(o => !o.IsLocal) ?? group[0]);
            string name = $"layer-{layers.Count + 1:00}-{step}";
            var secure = new List<SecureOperation>(group.Length);
            var names = new List<string>(group.Length);
            foreach (var op in group)
            {
                var inputs = op.Inputs.Select(i => shapes.TryGetValue(i, out var s) ? s
                    : throw new ArgumentException($"operation '{op.Name}' reads '{i}', which no earlier operation writes")).ToArray();
                var operation = SecureOperation.For(op, inputs, policy, name);
                secure.Add(operation);
                string opName = operation.OperatorName;
                for (int k = 2; names.Contains(opName); k++) opName = $"{operation.OperatorName}-{k}";
                names.Add(opName);
                shapes[op.Output] = op.OutputShape;
            }
            layers.Add(new LayerOperations(name, step, group[0].SourceNode, secure, names));
            start = end;
        }
        return layers;
    }

    private static string StepNameOf(RingOperation op) => op switch
    {
        RingConvolution c => $"conv{c.Geometry.KernelHeight}x{c.Geometry.KernelWidth}",
        RingFullyConnected => "fc",
        RingBatchNorm => "batchnorm",
        RingRelu => "relu",
        RingRelu6 => "relu6",
        RingTruncate => "truncate",
        RingAveragePool => "avgpool",
        RingMaxPool => "maxpool",
        RingArgMax => "argmax",
        RingAdd => "add",
        RingBiasMap => "biasmap",
        RingScaleUp => "scaleup",
        RingFlatten => "flatten",
        RingZeroPadShortcut => "shortcut",
        _ => op.Kind.ToLowerInvariant(),
    };

    private static byte[] FingerprintOf(SecureInferencePolicy policy, RunSpec? spec, IReadOnlyList<LayerOperations> layers)
    {
        var text = new StringBuilder();
        if (spec is not null) text.Append(spec.Canonical);
        text.AppendLine($"policy {policy.Name} ℓ={policy.RingBits} s={policy.Scale} {policy.Orientation} {policy.Relu} m={policy.MillionaireRadix} ot={policy.Ot.Name} B={policy.WeightBits} preprocess={policy.Preprocess.Name()}");
        foreach (var layer in layers)
        {
            text.AppendLine(layer.Name);
            foreach (var op in layer.Operations) text.AppendLine(op.Signature);
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
