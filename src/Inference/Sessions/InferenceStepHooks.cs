using CoPriv.Protocols.Channels;

namespace CoPriv.Inference.Sessions;

/// <summary>
/// How the steps of an inference plan reach the wire and the clock. By default a step runs on the session's own
/// channel (<see cref="LayerStepContext.Channel"/>: the actor channel, across machines). A simulator or emulator
/// that holds both ends of a modelled link in this process hands the steps its end instead, and wraps each step (in
/// a virtual-clock flow, say).
/// </summary>
public sealed record InferenceStepHooks
{
    public static InferenceStepHooks Default { get; } = new();

    /// <summary>The channel this party's protocol code runs on; the session's channel when null.</summary>
    public Func<LayerStepContext, IChannel>? Channel { get; init; }

    /// <summary>Entered on the step's thread before the step runs and disposed after it (null: nothing).</summary>
    public Func<LayerStepContext, IDisposable?>? AroundStep { get; init; }

    /// <summary>Called on the step's thread after a step succeeded.</summary>
    public Action<LayerStepContext>? StepFinished { get; init; }
}
