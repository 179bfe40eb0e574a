using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Sources;
using CoPriv.Models.Zoo;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Sessions;

/// <summary>
/// Turns one party's side of a secure inference (<see cref="ServerInference"/> or <see cref="ClientInference"/>) into
/// the <see cref="SessionPlan"/> the actor runtime runs: a "setup" step (plan check and base OTs), then one step per
/// layer of the <see cref="SecureInferencePlan"/>, named after it (<c>conv3x3</c>, <c>relu</c>, …), so that every
/// engine layer runs under a layer actor of its own. Both parties build their plan from the same public plan, so the
/// step lists agree. The client's plan yields the predicted class, the server's nothing: the protocols reveal the
/// class to the client only.
/// </summary>
public static class InferenceSessionPlan
{
    public const string SetupStep = "setup";

    /// <summary>The session-request parameter that carries the client's plan fingerprint (hex).</summary>
    public const string PlanFingerprintKey = "plan-fingerprint";

    /// <summary>
    /// What a client sends when it asks for a session: its plan's run spec and the plan's fingerprint, from which the
    /// server rebuilds and checks the plan on its own (<see cref="ServerPlan"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> RequestParameters(SecureInferencePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var spec = plan.Spec ?? throw new ArgumentException("a session request needs a plan made from a run spec", nameof(plan));
        return new Dictionary<string, string>(spec.ToParameters(), StringComparer.Ordinal)
        {
            [PlanFingerprintKey] = Convert.ToHexStringLower(plan.Fingerprint.ToArray()),
        };
    }

    /// <summary>
    /// The client's plan of what a server offers: the public architecture of the served model under the spec —
    /// the spec's zoo model built without calibration, or, for a model file, the weight-free architecture the server
    /// sent (<paramref name="architecture"/>, <see cref="OnnxModel.FromArchitecture"/>); the client has no weights and
    /// needs none — checked against the fingerprint of the server's plan, so a client never runs a plan its server
    /// does not.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is malformed, or the client's plan differs from the server's.</exception>
    /// <exception cref="CoPriv.Models.Onnx.OnnxFormatException">The architecture the server sent is not a model CoPriv runs.</exception>
    public static SecureInferencePlan ClientPlan(IReadOnlyDictionary<string, string> offeredSpec, string serverPlanFingerprint,
        byte[]? architecture = null)
    {
        ArgumentNullException.ThrowIfNull(offeredSpec);
        ArgumentNullException.ThrowIfNull(serverPlanFingerprint);
        var spec = RunSpec.FromParameters(offeredSpec);
        var plan = SecureInferencePlan.ForModel(ServedArchitecture(spec, architecture).Architecture(spec.Width), spec);
        string mine = Convert.ToHexStringLower(plan.Fingerprint.ToArray());
        if (mine != serverPlanFingerprint)
            throw new ArgumentException(
                $"the server's plan of {spec} has fingerprint {Short(serverPlanFingerprint)}…, this client's {Short(mine)}…: "
                + (architecture is null ? "the two builds lower the model differently" : "the architecture the server sent does not give the plan it states"));
        return plan;
    }

    /// <summary>The model a server offers as the client sees it: the architecture it sent, or the zoo model the spec names.</summary>
    public static IModelSource ServedArchitecture(RunSpec spec, byte[]? architecture)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return architecture is null ? ModelZoo.Get(spec.Model) : OnnxModel.FromArchitecture(spec.Model, architecture);
    }

    /// <summary>
    /// The server's plan for a session request, when the server planned its model once at start
    /// (<paramref name="served"/> with its weights in <paramref name="program"/>): the client's spec and plan
    /// fingerprint must be the served ones.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is malformed or not the served one, or the plans differ.</exception>
    public static SecureInferencePlan CheckRequest(SecureInferencePlan served, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(parameters);
        var spec = RunSpec.FromParameters(parameters);
        if (served.Spec?.DifferenceFrom(spec) is { } difference)
            throw new ArgumentException($"the client's run spec differs from this server's: {difference}");
        CheckFingerprint(served, spec, parameters);
        return served;
    }

    /// <summary>
    /// The server's plan for a session request: the run spec the client sent, checked by the spec's own rules (and
    /// against <paramref name="served"/>, the spec the server offers, when it has one), applied to the server's
    /// <paramref name="model"/> (with its weights), and compared with the client's plan fingerprint.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is malformed or not the served one, or the plans differ; the message says how.</exception>
    public static (SecureInferencePlan Plan, LoweredProgram Program) ServerPlan(ModelGraph model,
        IReadOnlyDictionary<string, string> parameters, RunSpec? served = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(parameters);
        var spec = RunSpec.FromParameters(parameters);
        if (served?.DifferenceFrom(spec) is { } difference)
            throw new ArgumentException($"the client's run spec differs from this server's: {difference}");
        var policy = spec.Policy();
        var program = FixedPointLowering.Lower(model, policy.FixedPoint);
        var plan = SecureInferencePlan.Create(program, policy, spec);
        CheckFingerprint(plan, spec, parameters);
        return (plan, program);
    }

    private static void CheckFingerprint(SecureInferencePlan plan, RunSpec spec, IReadOnlyDictionary<string, string> parameters)
    {
        string mine = Convert.ToHexStringLower(plan.Fingerprint.ToArray());
        if (!parameters.TryGetValue(PlanFingerprintKey, out var theirs))
            throw new ArgumentException("the session request carries no plan fingerprint");
        if (theirs != mine)
            throw new ArgumentException(
                $"the client's plan of {spec} differs from this server's (fingerprint {Short(theirs)}… there, {Short(mine)}… here): the model's architecture or width differs");
    }

    private static string Short(string fingerprint) => fingerprint[..Math.Min(12, fingerprint.Length)];

    /// <summary>The step names both parties' plans list for <paramref name="plan"/>.</summary>
    public static IReadOnlyList<string> StepNames(SecureInferencePlan plan) =>
        [SetupStep, .. plan.Layers.Select(l => l.StepName)];

    /// <summary>The session plan of <paramref name="party"/>, its protocol code reaching the wire through <paramref name="hooks"/>.</summary>
    public static SessionPlan Create(PartyInference party, InferenceStepHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(party);
        hooks ??= InferenceStepHooks.Default;
        // Ahead, the setup step carries every layer's pre-processing and each layer step its online part only.
        var plan = party.Plan;
        bool ahead = plan.Policy.Preprocess == PreprocessMode.Ahead;
        var steps = new List<ILayerStep>
        {
            new LayerStep(SetupStep, context => Run(context, hooks, party.RunSetup), ahead ? plan.PredictedSetupStepPreprocessing : null),
        };
        foreach (var layer in plan.Layers)
        {
            int index = layer.Index;
            steps.Add(new LayerStep(layer.StepName, context => Run(context, hooks, _ => party.RunLayer(index)), plan.PredictedLayerStep(index)));
        }
        Func<object?> result = party is ClientInference client ? () => client.PredictedClass : () => null;
        return new SessionPlan(steps, result);
    }

    private static void Run(LayerStepContext context, InferenceStepHooks hooks, Action<IChannel> body)
    {
        var channel = hooks.Channel?.Invoke(context) ?? context.Channel;
        if (!ReferenceEquals(channel, context.Channel)) context.MeterOn(channel.Meter);
        // The session fails the actor channel itself; a channel of our own must be failed too, or a protocol thread
        // blocked on it would wait for a peer that has given up.
        using var failOnCancel = ReferenceEquals(channel, context.Channel)
            ? default
            : context.Cancellation.Register(() => channel.Fail($"session {context.SessionId} failed"));
        using (hooks.AroundStep?.Invoke(context))
            body(channel);
        context.ReportProgress(1);
        hooks.StepFinished?.Invoke(context);
    }
}
