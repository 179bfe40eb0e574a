using CoPriv.Network;
using CoPriv.Network.Simulation;

namespace CoPriv.Sim;

/// <summary>
/// What to simulate: a zoo model (optionally at reduced width, for quick runs), the protocols ("copriv",
/// "cryptflow2"), the networks, the ring and scale, and the seed of the weights and the client's image. Every
/// (protocol, network) pair is one secure inference session through the actor runtime.
/// </summary>
public sealed record SimulationRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<string> Protocols { get; init; }
    public required IReadOnlyList<NetworkSettings> Networks { get; init; }
    public int RingBits { get; init; } = 41;
    public int Scale { get; init; } = 11;

    /// <summary>Seed of the model's weights and the client's image (the parties' randomness comes from the OS).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Channel-count multiplier of the zoo model (1 = the published network).</summary>
    public double Width { get; init; } = 1.0;

    public ComputeTimer Timer { get; init; } = ComputeTimer.ThreadCpu;

    /// <summary>How long one session may take in real time before it is given up.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How often an observer hears how far the current step has come.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
