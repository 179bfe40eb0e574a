using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Cluster;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// The inspector's command palettes, in the style of Petabridge.Cmd: <c>actor</c>, <c>cluster</c>, <c>remote</c>,
/// <c>log</c> and <c>copriv</c>, plus <c>help [command]</c> and <c>names</c> (the live names pbm completes).
/// Commands read the live system by messages (Identify, status queries, subscriptions), never by reaching into actors.
/// Checks the token: every command needs it on a host bound beyond loopback, and the commands that change state need
/// it wherever a token is set.
/// </summary>
public sealed class InspectorCommands
{
    private readonly ActorSystem _system;
    private readonly InspectorOptions _options;
    private readonly LiveParties _parties;

    public InspectorCommands(ActorSystem system, InspectorOptions options)
    {
        _system = system;
        _options = options;
        _parties = new LiveParties(system);
        All =
        [
            .. new ActorPalette(system).Commands,
            .. new ClusterPalette(system).Commands,
            .. new RemotePalette(system).Commands,
            .. new LogPalette(system).Commands,
            .. new CoPrivPalette(system).Commands,
            new("help", "", "[command]", "the palettes, or one command's usage", 0, 2, Help),
            new("names", "", "", "the live names pbm completes: commands, session ids, layer names, member addresses", 0, 0, Names),
        ];
    }

    public IReadOnlyList<InspectorCommand> All { get; }

    /// <summary>Runs one request, writing its frames through <paramref name="send"/>; bad input is an end status, never an exception.</summary>
    public async Task<InspectorEnd> ExecuteAsync(InspectorRequest request, Func<InspectorFrameKind, string, Task> send, CancellationToken cancellation)
    {
        var words = request.Command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool authorized = _options.Token is null || (request.Token is { } given && SameToken(given, _options.Token));
        if (!_options.IsLoopback && !authorized)
            return new InspectorEnd(InspectorStatus.Failed, "refused: this inspector requires its token (pbm --token, or COPRIV_INSPECTOR_TOKEN)");
        if (words.Length == 0) return Usage("empty command");

        var (command, rest) = Find(words);
        if (command is null) return Usage($"unknown command '{string.Join(' ', words)}'");
        if (command.ChangesState && !authorized)
            return new InspectorEnd(InspectorStatus.Failed,
                $"refused: '{command.Usage}' changes the node's state and this inspector has a token; give it (pbm --token, or COPRIV_INSPECTOR_TOKEN)");
        var arguments = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < rest.Count; i++)
        {
            var word = rest[i];
            if (command.ValueOptions.Contains(word))
            {
                if (i + 1 >= rest.Count) return new InspectorEnd(InspectorStatus.Usage, $"{word} needs a value; usage: {command.Usage}");
                options[word] = rest[++i];
            }
            else if (command.Flags.Contains(word)) options[word] = null;
            else if (word.StartsWith('-') && word.Length > 1 && !char.IsDigit(word[1]))
                return new InspectorEnd(InspectorStatus.Usage, $"unknown option '{word}'; usage: {command.Usage}");
            else arguments.Add(word);
        }
        if (arguments.Count < command.MinArguments || arguments.Count > command.MaxArguments)
            return new InspectorEnd(InspectorStatus.Usage, $"usage: {command.Usage}");
        try
        {
            await command.Run(new InspectorCall(arguments, options, request.Json, send, cancellation)).ConfigureAwait(false);
            return new InspectorEnd(InspectorStatus.Ok, "");
        }
        catch (InspectorCommandException e)
        {
            return new InspectorEnd(e.Status, e.Message);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return new InspectorEnd(InspectorStatus.Ok, "");
        }
        catch (Exception e) when (e is AskTimeoutException or TimeoutException or OperationCanceledException)
        {
            return new InspectorEnd(InspectorStatus.Failed, $"the node did not answer in time ({e.GetType().Name})");
        }
    }

    private static bool SameToken(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>The command the words name (one word for help and names, two for a palette's), and the words after it.</summary>
    private (InspectorCommand? Command, IReadOnlyList<string> Remaining) Find(string[] words)
    {
        var single = All.FirstOrDefault(c => c.Name.Length == 0 && c.Palette == words[0]);
        if (single is not null) return (single, words[1..]);
        if (words.Length < 2) return (null, []);
        var command = All.FirstOrDefault(c => c.Palette == words[0] && c.Name == words[1]);
        return (command, words[2..]);
    }

    private InspectorEnd Usage(string problem) => new(InspectorStatus.Usage, $"{problem}\n{Palette()}");

    private string Palette()
    {
        var text = new StringBuilder("commands:\n");
        int width = All.Max(c => c.Usage.Length);
        foreach (var c in All) text.Append("  ").Append(c.Usage.PadRight(width)).Append("  ").AppendLine(c.Description);
        return text.ToString().TrimEnd();
    }

    private async Task Help(InspectorCall call)
    {
        if (call.Arguments.Count == 0)
        {
            await call.AnswerAsync(All.Select(c => new { c.Palette, c.Name, c.Usage, c.Description, c.ChangesState, c.Streams }).ToArray(),
                Palette).ConfigureAwait(false);
            return;
        }
        var asked = string.Join(' ', call.Arguments);
        var matches = All.Where(c => c.Usage.StartsWith(asked, StringComparison.Ordinal) || c.Palette == asked).ToArray();
        if (matches.Length == 0) throw new InspectorCommandException(InspectorStatus.Usage, $"no command '{asked}'\n{Palette()}");
        await call.AnswerAsync(matches.Select(c => new { c.Usage, c.Description, c.ChangesState, c.Streams }).ToArray(),
            () => string.Join("\n", matches.Select(c =>
                $"{c.Usage}\n  {c.Description}{(c.ChangesState ? "\n  changes the node's state: needs the token when the inspector has one" : "")}{(c.Streams ? "\n  streams until it ends or Ctrl-C" : "")}")))
            .ConfigureAwait(false);
    }

    /// <summary>The names a prompt completes, one JSON document whatever the output mode.</summary>
    private async Task Names(InspectorCall call)
    {
        var sessions = new SortedSet<string>(StringComparer.Ordinal);
        var layers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var party in await _parties.StatusesAsync().ConfigureAwait(false))
            foreach (var s in party.Active.Concat(party.Recent))
            {
                sessions.Add(s.SessionId);
                if (s.CurrentStep is { } layer) layers.Add(layer);
            }
        var members = ((ExtendedActorSystem)_system).Provider is ClusterActorRefProvider
            ? Cluster.Get(_system).State.Members.Select(m => m.Address.ToString()).ToArray()
            : [];
        await call.WriteJsonAsync(new
        {
            Commands = All.Select(c => c.Name.Length == 0 ? c.Palette : $"{c.Palette} {c.Name}").ToArray(),
            Sessions = sessions, Layers = layers, Members = members,
        }).ConfigureAwait(false);
    }
}
