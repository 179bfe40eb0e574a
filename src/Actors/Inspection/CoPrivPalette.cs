using Akka.Actor;
using CoPriv.Actors.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// The <c>copriv</c> palette: the node's parties and their sessions (list, one with its layers, a live view of one,
/// counters, kill) and a simulation's modelled links.
/// </summary>
internal sealed class CoPrivPalette(ActorSystem system)
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(500);
    private readonly LiveParties _parties = new(system);

    public IEnumerable<InspectorCommand> Commands =>
    [
        new("copriv", "sessions", "", "running and recent sessions of each party", 0, 0, Sessions),
        new("copriv", "session", "<id>", "one session: state, data plane, and per layer progress, bytes per phase and direction, CPU, time and the cost model's prediction", 1, 1, Session),
        new("copriv", "watch", "<id>", "the session, redrawn with a progress bar per layer until it ends", 1, 1, Watch) { Streams = true },
        new("copriv", "party", "", "each party's counters and traffic", 0, 0, Parties),
        new("copriv", "kill", "<id> [reason…]", "fail a running session on both sides, the reason shown at both", 1, int.MaxValue, Kill) { ChangesState = true },
        new("copriv", "network", "", "a simulation's modelled links: bandwidth, round trip, bytes carried and queued per direction", 0, 0, Network),
    ];

    private async Task<IReadOnlyList<PartyStatus>> RequireParties()
    {
        var statuses = await _parties.StatusesAsync().ConfigureAwait(false);
        return statuses.Count == 0 ? throw InspectorCommandException.Failed("no party runs on this node") : statuses;
    }

    private async Task Sessions(InspectorCall call)
    {
        var statuses = await RequireParties().ConfigureAwait(false);
        await call.AnswerAsync(statuses.Select(p => new { p.Role, p.Path, p.Active, p.Recent }).ToArray(),
            () => string.Join("\n", statuses.Select(StatusText.Sessions))).ConfigureAwait(false);
    }

    private async Task Parties(InspectorCall call)
    {
        var statuses = await RequireParties().ConfigureAwait(false);
        await call.AnswerAsync(statuses, () => string.Join("\n", statuses.Select(StatusText.Party))).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<SessionStatus>> RequireSession(string id)
    {
        var found = await _parties.SessionAsync(id).ConfigureAwait(false);
        return found.Count == 0 ? throw InspectorCommandException.Failed($"no session '{id}' on this node; 'copriv sessions' lists them") : found;
    }

    private async Task Session(InspectorCall call)
    {
        var found = await RequireSession(call.Arguments[0]).ConfigureAwait(false);
        await call.AnswerAsync(found, () => string.Join("\n", found.Select(s => StatusText.Session(s)))).ConfigureAwait(false);
    }

    private async Task Watch(InspectorCall call)
    {
        var id = call.Arguments[0];
        // The parties publish each session's outcome with its final status. Taken synchronously from the event
        // stream, it makes the last screen even when the node stops right after (a simulation ends with its session).
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<PartyRole, SessionStatus>();
        var outcome = new SessionOutcomeRef(system, id, status => outcomes[status.Role] = status);
        system.EventStream.Subscribe(outcome, typeof(SessionCompleted));
        system.EventStream.Subscribe(outcome, typeof(SessionFailed));
        try
        {
            var found = await RequireSession(id).ConfigureAwait(false);
            while (true)
            {
                var shown = found.Select(s => outcomes.GetValueOrDefault(s.Role) ?? s).ToArray();
                bool ended = shown.All(s => s.State is SessionState.Completed or SessionState.Failed);
                await call.RedrawAsync(shown, () => string.Join("\n", shown.Select(s => StatusText.Session(s, bars: true)))).ConfigureAwait(false);
                if (ended) return;
                try
                {
                    await Task.Delay(WatchInterval, call.Cancellation).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (found.All(s => outcomes.ContainsKey(s.Role)))
                {
                    // The node is stopping after the session ended: the loop draws the outcome once more.
                }
                var next = found.All(s => outcomes.ContainsKey(s.Role)) ? found : await _parties.SessionAsync(id).ConfigureAwait(false);
                // No party answering any more (its history moved on, or the node is stopping): show what is known.
                if (next.Count > 0) found = next;
                else if (outcomes.IsEmpty) return;
            }
        }
        finally
        {
            system.EventStream.Unsubscribe(outcome);
        }
    }

    /// <summary>
    /// A reference the event stream tells synchronously, on the publishing party's thread: the final status of one
    /// session's outcomes is recorded before anything else can happen to the node.
    /// </summary>
    private sealed class SessionOutcomeRef(ActorSystem system, string sessionId, Action<SessionStatus> ended) : MinimalActorRef
    {
        private readonly ActorPath _path = ((ExtendedActorSystem)system).Provider.TempPath();

        public override ActorPath Path => _path;
        public override IActorRefProvider Provider => ((ExtendedActorSystem)system).Provider;

        protected override void TellInternal(object message, IActorRef sender)
        {
            switch (message)
            {
                case SessionCompleted c when c.SessionId == sessionId:
                    ended(c.Status);
                    break;
                case SessionFailed f when f.SessionId == sessionId:
                    ended(f.Status);
                    break;
            }
        }
    }

    private async Task Kill(InspectorCall call)
    {
        var id = call.Arguments[0];
        var reason = call.Arguments.Count > 1 ? string.Join(' ', call.Arguments.Skip(1)) : "killed from the inspector";
        var killed = await _parties.KillAsync(id, reason).ConfigureAwait(false);
        if (killed.Count == 0) throw InspectorCommandException.Failed($"no running session '{id}' on this node");
        await call.AnswerAsync(new { Session = id, Parties = killed, Reason = reason },
            () => $"session {id} is being failed at the {string.Join(" and ", killed)} ({reason}); its peer fails too").ConfigureAwait(false);
    }

    private async Task Network(InspectorCall call)
    {
        var links = InspectedLinks.For(system).Current();
        await call.AnswerAsync(links, () => links.Count == 0
            ? "no modelled link: this node runs no simulated session now (a deployed node's connections: 'remote show')"
            : string.Join("\n", links.Select(StatusText.Link))).ConfigureAwait(false);
    }
}
