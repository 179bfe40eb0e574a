using Akka.Actor;
using CoPriv.Inference.Sessions;
using CoPriv.Network.Tcp;

namespace CoPriv.Actors.Sessions;

/// <summary>Task-shaped access to a client party, for code outside actors (CLI, simulator, tests).</summary>
public static class ClientPartyExtensions
{
    /// <summary>
    /// Runs one session of <paramref name="plan"/> against <paramref name="serverParty"/> through
    /// <paramref name="clientParty"/>; returns the completion or throws <see cref="SessionFailedException"/>.
    /// </summary>
    public static async Task<SessionCompleted> RunSessionAsync(this IActorRef clientParty, IActorRef serverParty,
        SessionPlan plan, TimeSpan timeout, IReadOnlyDictionary<string, string>? parameters = null, string? sessionId = null,
        TcpChannelOptions? dataPlane = null)
    {
        var outcome = await clientParty.Ask<object>(new RunSession(serverParty, plan, parameters, sessionId, dataPlane), timeout)
            .ConfigureAwait(false);
        return outcome switch
        {
            SessionCompleted completed => completed,
            SessionFailed failed => throw new SessionFailedException(failed),
            _ => throw new InvalidOperationException($"the client party answered {outcome.GetType().Name}"),
        };
    }
}
