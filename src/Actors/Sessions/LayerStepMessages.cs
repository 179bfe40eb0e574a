using Akka.Actor;

namespace CoPriv.Actors.Sessions;

// What a layer actor tells its session (local only).

/// <summary>Fact: the step at <see cref="Position"/> is this far along and has moved these bytes so far.</summary>
internal sealed record LayerProgressed(int Position, double Progress, long BytesSent, long BytesReceived, TimeSpan Elapsed)
    : INoSerializationVerificationNeeded;

/// <summary>Fact: the step returned.</summary>
internal sealed record LayerStepSucceeded(int Position, long BytesSent, long BytesReceived, TimeSpan Elapsed)
    : INoSerializationVerificationNeeded;

/// <summary>Fact: the step threw; <see cref="Error"/> is the exception's type and message.</summary>
internal sealed record LayerStepFailed(int Position, string Error, long BytesSent, long BytesReceived, TimeSpan Elapsed)
    : INoSerializationVerificationNeeded;
