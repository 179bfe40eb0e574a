using Akka.Actor;
using CoPriv.Actors.Sessions;

namespace CoPriv.Actors.Inspection;

/// <summary>One command of a palette: <c>&lt;palette&gt; &lt;name&gt; &lt;arguments&gt;</c>.</summary>
public sealed record InspectorCommand(
    string Palette, string Name, string Arguments, string Description, int MinArguments, int MaxArguments,
    Func<IReadOnlyList<string>, Task<InspectorReply>> Run)
{
    public string Usage => $"{Palette} {Name}{(Arguments.Length > 0 ? " " + Arguments : "")}";
}

/// <summary>
/// The inspector's command palettes, in the style of Petabridge.Cmd: <c>actor</c> (the live actor tree) and
/// <c>copriv</c> (parties and sessions: list, show one with its layers, party counters, kill), plus <c>help</c>.
/// Commands read the live system by messages (Identify, status queries), never by reaching into actors.
/// </summary>
public sealed class InspectorCommands
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);
    private readonly ActorSystem _system;

    public InspectorCommands(ActorSystem system)
    {
        _system = system;
        All =
        [
            new("actor", "tree", "", "the live actors under /user", 0, 0, _ => ActorTree()),
            new("copriv", "sessions", "", "running and recent sessions of each party", 0, 0, _ => Sessions()),
            new("copriv", "session", "<id>", "one session: state, traffic and every layer's progress", 1, 1, a => Session(a[0])),
            new("copriv", "party", "", "each party's counters and traffic", 0, 0, _ => Parties()),
            new("copriv", "kill", "<id> [reason…]", "fail a running session on both sides", 1, int.MaxValue,
                a => Kill(a[0], a.Count > 1 ? string.Join(' ', a.Skip(1)) : "killed from the inspector")),
        ];
    }

    public IReadOnlyList<InspectorCommand> All { get; }

    /// <summary>Runs one command line; bad input is an error reply, never an exception.</summary>
    public async Task<InspectorReply> ExecuteAsync(string line)
    {
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return InspectorReply.Error("empty command; try 'help'");
        if (words[0] == "help") return Help(words.Length > 1 ? words[1] : null);

        var palette = All.Where(c => c.Palette == words[0]).ToList();
        if (palette.Count == 0)
            return InspectorReply.Error($"unknown command '{line.Trim()}': no palette '{words[0]}' (palettes: {PaletteNames()}); try 'help'");
        if (words.Length < 2)
            return InspectorReply.Error($"palette '{words[0]}' needs a command: {string.Join(", ", palette.Select(c => c.Name))}");
        var command = palette.FirstOrDefault(c => c.Name == words[1]);
        if (command is null)
            return InspectorReply.Error($"unknown command '{words[0]} {words[1]}' (the {words[0]} palette has: {string.Join(", ", palette.Select(c => c.Name))}); try 'help'");
        var arguments = words.Skip(2).ToArray();
        if (arguments.Length < command.MinArguments || arguments.Length > command.MaxArguments)
            return InspectorReply.Error($"usage: {command.Usage}");
        try
        {
            return await command.Run(arguments).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return InspectorReply.Error($"{command.Palette} {command.Name} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private string PaletteNames() => string.Join(", ", All.Select(c => c.Palette).Distinct());

    private InspectorReply Help(string? palette)
    {
        var commands = palette is null ? All : All.Where(c => c.Palette == palette).ToList();
        if (commands.Count == 0) return InspectorReply.Error($"no palette '{palette}' (palettes: {PaletteNames()})");
        int width = commands.Max(c => c.Usage.Length);
        var lines = commands.Select(c => $"  {c.Usage.PadRight(width)}  {c.Description}");
        return InspectorReply.Success($"commands (palettes: {PaletteNames()}):\n{string.Join('\n', lines)}\n  {"help [palette]".PadRight(width)}  this list");
    }

    private async Task<InspectorReply> ActorTree()
    {
        // Under /system, so that the probe does not list itself.
        var probe = ((ExtendedActorSystem)_system).SystemActorOf(ActorTreeProbe.Props());
        var listed = await probe.Ask<ActorTreeListed>(ListActorTree.Instance, AskTimeout).ConfigureAwait(false);
        return InspectorReply.Success(StatusText.Tree(listed.Paths));
    }

    private async Task<InspectorReply> Sessions()
    {
        var statuses = await PartyStatuses().ConfigureAwait(false);
        if (statuses.Count == 0) return InspectorReply.Error("no party runs on this node");
        return InspectorReply.Success(string.Join("\n", statuses.Select(StatusText.Sessions)));
    }

    private async Task<InspectorReply> Parties()
    {
        var statuses = await PartyStatuses().ConfigureAwait(false);
        if (statuses.Count == 0) return InspectorReply.Error("no party runs on this node");
        return InspectorReply.Success(string.Join("\n", statuses.Select(StatusText.Party)));
    }

    private async Task<InspectorReply> Session(string id)
    {
        var found = new List<SessionStatus>();
        foreach (var party in await LocalParties().ConfigureAwait(false))
            if (await AskOrNull(party, new GetSessionStatus(id)).ConfigureAwait(false) is SessionStatus status)
                found.Add(status);
        return found.Count == 0
            ? InspectorReply.Error($"no session '{id}' on this node; 'copriv sessions' lists them")
            : InspectorReply.Success(string.Join("\n", found.Select(StatusText.Session)));
    }

    private async Task<InspectorReply> Kill(string id, string reason)
    {
        var killed = new List<string>();
        foreach (var party in await LocalParties().ConfigureAwait(false))
            if (await AskOrNull(party, new AbortSession(id, reason)).ConfigureAwait(false) is SessionAbortRequested)
                killed.Add(party.Path.Name);
        return killed.Count == 0
            ? InspectorReply.Error($"no running session '{id}' on this node")
            : InspectorReply.Success($"session {id} is being failed at the {string.Join(" and ", killed)} ({reason}); its peer fails too");
    }

    /// <summary>
    /// Asks about one session; null when nobody answers in time (the session may have just ended and not answer,
    /// while its party has not yet filed it as ended).
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

    private async Task<IReadOnlyList<PartyStatus>> PartyStatuses()
    {
        var statuses = new List<PartyStatus>();
        foreach (var party in await LocalParties().ConfigureAwait(false))
            statuses.Add(await party.Ask<PartyStatus>(GetPartyStatus.Instance, AskTimeout).ConfigureAwait(false));
        return statuses;
    }

    /// <summary>The party actors running in this system (server first).</summary>
    private async Task<IReadOnlyList<IActorRef>> LocalParties()
    {
        var parties = new List<IActorRef>();
        foreach (var name in new[] { ServerParty.Name, ClientParty.Name })
        {
            var identity = await _system.ActorSelection($"/user/{name}")
                .Ask<ActorIdentity>(new Identify(name), AskTimeout).ConfigureAwait(false);
            if (identity.Subject is not null) parties.Add(identity.Subject);
        }
        return parties;
    }
}
