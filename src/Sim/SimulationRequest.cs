using CoPriv.Inference.Planning;
using CoPriv.Network;
using CoPriv.Network.Simulation;

namespace CoPriv.Sim;

/// <summary>
/// What to simulate: the run spec (model and width, ℓ, s, OT backend; its protocol is replaced by each of
/// <see cref="Protocols"/> in turn), the networks, and the seed of the weights and the client's image. Every
/// (protocol, network) pair is one secure inference session through the actor runtime.
/// </summary>
public sealed record SimulationRequest
{
    public required RunSpec Spec { get; init; }
    public required IReadOnlyList<string> Protocols { get; init; }
    public required IReadOnlyList<NetworkSettings> Networks { get; init; }

    /// <summary>Seed of the model's weights and the client's image (the parties' randomness comes from the OS).</summary>
    public ulong Seed { get; init; } = 1;

    public ComputeTimer Timer { get; init; } = ComputeTimer.ThreadCpu;

    /// <summary>How long one session may take in real time before it is given up.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How often an observer hears how far the current step has come.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
