using CoPriv.Inference.Parties;

namespace CoPriv.Inference.Planning;

/// <summary>How one party runs its side of a secure inference (the peer may choose differently).</summary>
public sealed record InferenceOptions
{
    public static InferenceOptions Default { get; } = new();

    /// <summary>
    /// Draws this party's randomness from a fixed seed (its own stream per role) instead of the OS: reproducible runs
    /// and tests only, never a real deployment.
    /// </summary>
    public ulong? Seed { get; init; }

    /// <summary>
    /// Runs the two independent OT batches of the non-linear protocols (one per OT direction) on two threads at once;
    /// the traffic and the results are the same.
    /// </summary>
    public bool ConcurrentOtDirections { get; init; }

    public ShareRetention Retention { get; init; } = ShareRetention.Output;

    /// <summary>Called after every layer this party finishes (on the thread that ran it).</summary>
    public Action<LayerProgress>? Progress { get; init; }
}
