namespace CoPriv.Actors.Sessions;

/// <summary>Query from a client to a server party: what do you serve? Answered with <see cref="ServerOffer"/>.</summary>
public sealed record GetServerOffer : ICoPrivMessage
{
    public static readonly GetServerOffer Instance = new();
}

/// <summary>
/// What a server party serves, public by construction: the run spec (model identity, policy, ℓ, s, OT backend) as
/// session parameters, the fingerprint of the plan it makes from it (the client rebuilds the plan from the spec and
/// must arrive at the same fingerprint), the cost model's prediction of one inference, the SHA-256 fingerprint of its
/// TLS certificate (null when insecure; a client that pinned none uses it for the data plane, trust on first use), and
/// how busy it is (live sessions against its limit), so that a client can pick the least loaded server of a cluster.
/// A server that serves a model file (not a zoo name the client can build) also sends its public architecture:
/// the ONNX graph without the weights' values, at most <see cref="MaxArchitectureBytes"/>.
/// </summary>
public sealed record ServerOffer(
    IReadOnlyDictionary<string, string> Spec, string PlanFingerprint, long PredictedBytes, string? CertificateFingerprint,
    int LiveSessions, int MaxSessions, byte[]? Architecture = null)
    : ICoPrivMessage
{
    /// <summary>The largest architecture an offer carries: well inside Akka.Remote's 256,000-byte frame.</summary>
    public const int MaxArchitectureBytes = 128 * 1024;
}

/// <summary>Local command to the server party (at shutdown): accept no new session; answer <see cref="SessionsDrained"/> when none runs.</summary>
public sealed record DrainSessions(TimeSpan Timeout) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Fact: no session runs any more; <see cref="Aborted"/> of them were failed because the drain timed out.</summary>
public sealed record SessionsDrained(int Aborted) : Akka.Actor.INoSerializationVerificationNeeded;
