using Akka.Actor;
using CoPriv.Inference.Sessions;

namespace CoPriv.Actors.Sessions;

// What a layer actor tells its session (local only).

/// <summary>Fact: the step at <see cref="Position"/> is this far along and has moved these bytes so far.</summary>
internal sealed record LayerProgressed(int Position, double Progress, TrafficByPhase Traffic, TimeSpan Elapsed, bool SendsElsewhere)
    : INoSerializationVerificationNeeded;

/// <summary>Fact: the step returned, having used <see cref="Compute"/> of its thread's CPU (null where unmeasurable).</summary>
internal sealed record LayerStepSucceeded(int Position, TrafficByPhase Traffic, TimeSpan Elapsed, TimeSpan? Compute, bool SendsElsewhere)
    : INoSerializationVerificationNeeded;

/// <summary>Fact: the step threw; <see cref="Error"/> is the exception's type and message.</summary>
internal sealed record LayerStepFailed(int Position, string Error, TrafficByPhase Traffic, TimeSpan Elapsed)
    : INoSerializationVerificationNeeded;
