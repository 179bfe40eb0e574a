using Akka.Actor;
using CoPriv.Actors.Sessions;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// The party actors of this system (<c>/user/server</c>, <c>/user/client</c>) and the questions the inspector asks
/// them, by message only; a party or session that does not answer in time counts as absent.
/// </summary>
internal sealed class LiveParties(ActorSystem system)
{
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The party actors running in this system (server first).</summary>
    public async Task<IReadOnlyList<IActorRef>> AllAsync()
    {
        var parties = new List<IActorRef>();
        foreach (var name in new[] { ServerParty.Name, ClientParty.Name })
        {
            var identity = await system.ActorSelection($"/user/{name}")
                .Ask<ActorIdentity>(new Identify(name), AskTimeout).ConfigureAwait(false);
            if (identity.Subject is not null) parties.Add(identity.Subject);
        }
        return parties;
    }

    public async Task<IReadOnlyList<PartyStatus>> StatusesAsync()
    {
        var statuses = new List<PartyStatus>();
        foreach (var party in await AllAsync().ConfigureAwait(false))
            if (await AskOrNull(party, GetPartyStatus.Instance).ConfigureAwait(false) is PartyStatus status)
                statuses.Add(status);
        return statuses;
    }

    /// <summary>The session at every party that has it (live or recent).</summary>
    public async Task<IReadOnlyList<SessionStatus>> SessionAsync(string id)
    {
        var found = new List<SessionStatus>();
        foreach (var party in await AllAsync().ConfigureAwait(false))
            if (await AskOrNull(party, new GetSessionStatus(id)).ConfigureAwait(false) is SessionStatus status)
                found.Add(status);
        return found;
    }

    /// <summary>The running sessions of every party, each as its party sees it now.</summary>
    public async Task<IReadOnlyList<SessionStatus>> RunningSessionsAsync()
    {
        var running = new List<SessionStatus>();
        foreach (var party in await StatusesAsync().ConfigureAwait(false))
            foreach (var summary in party.Active)
                running.AddRange((await SessionAsync(summary.SessionId).ConfigureAwait(false)).Where(s => s.Role == party.Role));
        return running;
    }

    /// <summary>Asks each party to fail the session; the names of the parties that passed it on.</summary>
    public async Task<IReadOnlyList<string>> KillAsync(string id, string reason)
    {
        var killed = new List<string>();
        foreach (var party in await AllAsync().ConfigureAwait(false))
            if (await AskOrNull(party, new AbortSession(id, reason)).ConfigureAwait(false) is SessionAbortRequested)
                killed.Add(party.Path.Name);
        return killed;
    }

    /// <summary>
    /// Asks a party; null when nobody answers in time (a session that has just ended may not answer while its party
    /// has not yet filed it as ended).
    /// </summary>
    private static async Task<object?> AskOrNull(IActorRef party, object question)
    {
        try
        {
            return await party.Ask<object>(question, AskTimeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
