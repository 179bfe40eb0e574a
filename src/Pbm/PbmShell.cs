using System.Text.Json;
using CoPriv.Actors.Inspection;

namespace CoPriv.Pbm;

/// <summary>
/// pbm's interactive prompt: reads commands with <see cref="LineEditor"/> (history, TAB completion of the palettes'
/// commands and of the node's live names — session ids, layer names, member addresses — fetched from the node at
/// each TAB), runs each on its own connection and prints it as one-shot pbm would. A node that cannot be reached
/// (at start, or when a command's connection drops) is one line; the prompt stays until <c>exit</c> or Ctrl-D.
/// </summary>
public sealed class PbmShell(PbmTarget target, TextWriter output, TextWriter error)
{
    private static readonly TimeSpan NamesTimeout = TimeSpan.FromSeconds(3);

    /// <summary>What <c>names</c> answers.</summary>
    private sealed record LiveNames(string[] Commands, string[] Sessions, string[] Layers, string[] Members);

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        LiveNames names = new([], [], [], []);
        var editor = new LineEditor(before => Candidates(before, ref names));
        // Keys typed once the user can see that pbm is connected must reach the editor, not the terminal's own line
        // discipline; and Ctrl-C ends a running command (RunCommandAsync's handler) but never the prompt itself, also
        // in the instant between a command and the next line.
        editor.TakeTerminal();
        ConsoleCancelEventHandler stay = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += stay;
        try
        {
            try
            {
                names = await FetchNames(cancellation).ConfigureAwait(false);
            }
            catch (InspectorUnreachableException e)
            {
                await error.WriteLineAsync($"pbm: {e.Message}").ConfigureAwait(false);
                return PbmApp.Unreachable;
            }
            await output.WriteLineAsync($"pbm: connected to {target}; 'help' lists the commands, TAB completes, 'exit' or Ctrl-D leaves").ConfigureAwait(false);
            string prompt = $"{target}> ";
            while (!cancellation.IsCancellationRequested)
            {
                var line = editor.ReadLine(prompt)?.Trim();
                if (line is null || line is "exit" or "quit") return PbmApp.Ok;
                if (line.Length == 0) continue;
                editor.Remember(line);
                await PbmApp.RunCommandAsync(target, line, output, error, cancellation).ConfigureAwait(false);
            }
            return PbmApp.Ok;
        }
        finally
        {
            Console.CancelKeyPress -= stay;
        }
    }

    private async Task<LiveNames> FetchNames(CancellationToken cancellation)
    {
        var json = new System.Text.StringBuilder();
        var end = await PbmClient.RunAsync(target.Host, target.Port, new InspectorRequest("names", target.Token, Json: true),
            frame => json.Append(frame.Text), NamesTimeout, cancellation).ConfigureAwait(false);
        if (end.Status != InspectorStatus.Ok) throw new InspectorUnreachableException($"{target} refused 'names': {end.Message}");
        return JsonSerializer.Deserialize<LiveNames>(json.ToString(), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InspectorUnreachableException($"{target} answered 'names' with nothing");
    }

    /// <summary>The words that may come where the cursor is, after <paramref name="before"/>; live names are fetched anew.</summary>
    private IReadOnlyList<string> Candidates(string before, ref LiveNames names)
    {
        var words = before.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!before.EndsWith(' ') && words.Count > 0) words.RemoveAt(words.Count - 1);
        var commands = names.Commands.Select(c => c.Split(' ')).ToArray();
        if (words.Count == 0) return [.. commands.Select(c => c[0]).Distinct(), "exit"];
        if (words.Count == 1) return commands.Where(c => c[0] == words[0] && c.Length > 1).Select(c => c[1]).ToArray();
        try
        {
            names = FetchNames(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (InspectorUnreachableException)
        {
            // Complete from what the node said last; the next command will say that it is gone.
        }
        return (words[0], words[1]) switch
        {
            ("copriv", "session" or "watch" or "kill") => names.Sessions,
            ("cluster", "leave" or "down") => names.Members,
            ("log", "level") or ("log", _) when words[^1] == "--level" => ["debug", "info", "warning", "error"],
            ("actor", "hierarchy") => ["/user", "/system", "--system", "-d", .. names.Sessions.Select(s => $"/user/server/session-{s}")],
            _ => [.. names.Sessions, .. names.Layers, .. names.Members],
        };
    }
}
