using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Protocols.Channels;

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

    /// <summary>The step names both parties' plans list for <paramref name="plan"/>.</summary>
    public static IReadOnlyList<string> StepNames(SecureInferencePlan plan) =>
        [SetupStep, .. plan.Layers.Select(l => l.StepName)];

    /// <summary>The session plan of <paramref name="party"/>, its protocol code reaching the wire through <paramref name="hooks"/>.</summary>
    public static SessionPlan Create(PartyInference party, InferenceStepHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(party);
        hooks ??= InferenceStepHooks.Default;
        var steps = new List<ILayerStep> { new LayerStep(SetupStep, context => Run(context, hooks, party.RunSetup)) };
        foreach (var layer in party.Plan.Layers)
        {
            int index = layer.Index;
            steps.Add(new LayerStep(layer.StepName, context => Run(context, hooks, _ => party.RunLayer(index))));
        }
        Func<object?> result = party is ClientInference client ? () => client.PredictedClass : () => null;
        return new SessionPlan(steps, result);
    }

    private static void Run(LayerStepContext context, InferenceStepHooks hooks, Action<IChannel> body)
    {
        var channel = hooks.Channel?.Invoke(context) ?? context.Channel;
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
