using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Sessions;

/// <summary>
/// One party's half of one layer subprotocol of a session: the unit the session actor runs, one at a time and in plan
/// order, each on a dedicated thread under its own layer actor. Both parties' plans list steps of the same names in
/// the same order; a step talks to the peer's step of the same position only through
/// <see cref="LayerStepContext.Channel"/>, and keeps whatever it passes to later steps (shares, OT state) in the
/// object graph of its <see cref="SessionPlan"/>.
/// </summary>
public interface ILayerStep
{
    /// <summary>
    /// What the step runs, e.g. "conv3x3" or "relu" (lower case, letters, digits and '-'): the layer actor is named
    /// <c>layer-NN-name</c> after it, NN being the 1-based position in the plan.
    /// </summary>
    string Name { get; }

    /// <summary>
    /// Runs the step to completion, blocking on the channel as protocols do. Throwing fails the session on both sides
    /// with an error naming this step. A long step should report progress and give up when
    /// <see cref="LayerStepContext.Cancellation"/> fires (the channel is failed at the same time, so blocked sends and
    /// receives end by themselves).
    /// </summary>
    void Run(LayerStepContext context);

    /// <summary>
    /// The cost model's prediction of the step's traffic (both directions, per phase), shown beside the meters by the
    /// inspector; null when the step has none (a setup step, a test's step).
    /// </summary>
    CommunicationCost? Predicted => null;
}
