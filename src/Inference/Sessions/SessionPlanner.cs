namespace CoPriv.Inference.Sessions;

/// <summary>What a server party knows when a client asks for a session.</summary>
/// <param name="SessionId">The id the client chose (unique among the server's live sessions).</param>
/// <param name="StepNames">The steps the client will run; the server's plan must list the same.</param>
/// <param name="Parameters">The client's parameters (model, ring bits, scale, …).</param>
public sealed record SessionRequest(
    string SessionId, IReadOnlyList<string> StepNames, IReadOnlyDictionary<string, string> Parameters);

/// <summary>
/// The server's side of the seam: builds the server's plan for a session the client asked for, from the model the
/// server owns. Throwing rejects the session with the exception's message.
/// </summary>
public delegate SessionPlan SessionPlanner(SessionRequest request);
