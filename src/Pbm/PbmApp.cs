using System.Globalization;
using System.Net;
using CoPriv.Actors.Inspection;

namespace CoPriv.Pbm;

/// <summary>
/// pbm, the inspection client in the manner of Petabridge.Cmd: <c>pbm [HOST:PORT] COMMAND…</c> runs one command on a
/// CoPriv inspector and prints its answer (streams until they end or Ctrl-C); <c>pbm [HOST:PORT]</c> opens an
/// interactive prompt with history and TAB completion (<see cref="PbmShell"/>). The palettes live in the host;
/// <c>help</c> lists them. <c>--json</c> asks any command for JSON, <c>--token</c> (or COPRIV_INSPECTOR_TOKEN) gives
/// the inspector's token. Exit codes: see the constants; every failure is one line on stderr.
/// </summary>
public static class PbmApp
{
    public const int Ok = 0;
    /// <summary>The host answered that the command failed or was refused (no such session, no token, …).</summary>
    public const int CommandFailed = 1;
    /// <summary>pbm or the command was called wrongly (unknown command, bad arguments).</summary>
    public const int Usage = 2;
    /// <summary>The host could not be reached, or the connection broke.</summary>
    public const int Unreachable = 3;

    private static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(15);
    private static readonly string[] Palettes = ["actor", "cluster", "remote", "log", "copriv", "help", "names", "exit", "quit"];

    private const string UsageText = """
        usage: pbm [HOST:PORT] [--token TOKEN] [--json] [COMMAND...]   (default 127.0.0.1:9110)
          pbm 127.0.0.1:9110                         interactive prompt (history, TAB completes commands and live names)
          pbm 127.0.0.1:9110 help                    the host's palettes: actor, cluster, remote, log, copriv
          pbm 127.0.0.1:9110 actor hierarchy         the live actors
          pbm 127.0.0.1:9110 copriv watch <id>       one session, redrawn until it ends
          pbm 127.0.0.1:9110 --json copriv sessions  any command's answer as JSON
        exit codes: 0 ok, 1 the command failed or was refused, 2 usage, 3 unreachable
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeSpan? timeout = null,
        CancellationToken cancellation = default)
    {
        var words = new List<string>();
        string? token = Environment.GetEnvironmentVariable(InspectorOptions.TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help" when words.Count == 0:
                    await output.WriteLineAsync(UsageText).ConfigureAwait(false);
                    return Ok;
                case "--json":
                    json = true;
                    break;
                case "--token":
                    if (i + 1 >= args.Length) return await Fail(error, Usage, "--token needs a value").ConfigureAwait(false);
                    token = args[++i];
                    break;
                default:
                    words.Add(args[i]);
                    break;
            }
        }
        string host = "127.0.0.1";
        int port = InspectorWire.DefaultPort;
        if (words.Count > 0 && LooksLikeEndpoint(words[0]))
        {
            if (!TryParseEndpoint(words[0], out host, out port))
                return await Fail(error, Usage, $"'{words[0]}' is not HOST:PORT (e.g. 127.0.0.1:9110)").ConfigureAwait(false);
            words.RemoveAt(0);
        }
        var target = new PbmTarget(host, port, token, json, timeout ?? DefaultIdleTimeout);
        if (words.Count == 0) return await new PbmShell(target, output, error).RunAsync(cancellation).ConfigureAwait(false);
        return await RunCommandAsync(target, string.Join(' ', words), output, error, cancellation).ConfigureAwait(false);
    }

    /// <summary>Runs one command and prints it; the exit code, with one line on stderr unless it succeeded.</summary>
    public static async Task<int> RunCommandAsync(PbmTarget target, string command, TextWriter output, TextWriter error,
        CancellationToken cancellation)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // Ctrl-C ends the command that runs (a stream, at the prompt too), not pbm in the middle of a write.
        ConsoleCancelEventHandler onInterrupt = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onInterrupt;
        InspectorEnd end;
        try
        {
            end = await PbmClient.RunAsync(target.Host, target.Port, new InspectorRequest(command, target.Token, target.Json),
                frame => Print(frame, output, terminal), target.IdleTimeout, interrupted.Token).ConfigureAwait(false);
        }
        catch (InspectorUnreachableException e)
        {
            return await Fail(error, Unreachable, e.Message).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onInterrupt;
        }
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return end.Status switch
        {
            InspectorStatus.Ok => Ok,
            InspectorStatus.Usage => await Fail(error, Usage, end.Message).ConfigureAwait(false),
            _ => await Fail(error, CommandFailed, end.Message).ConfigureAwait(false),
        };
    }

    private static void Print(InspectorFrame frame, TextWriter output, bool terminal)
    {
        if (frame.Kind == InspectorFrameKind.Redraw)
        {
            // A terminal shows the live view in place; a pipe or a file gets each screen in turn.
            output.Write(terminal ? "\u001b[H\u001b[2J" + frame.Text : frame.Text + "\n");
        }
        else output.Write(frame.Text);
        output.Flush();
    }

    private static async Task<int> Fail(TextWriter error, int code, string message)
    {
        await error.WriteLineAsync($"pbm: {message.TrimEnd()}").ConfigureAwait(false);
        return code;
    }

    private static bool LooksLikeEndpoint(string word) =>
        !Palettes.Contains(word) && (word.Contains(':') || word == "localhost" || IPAddress.TryParse(word, out _) || word.Contains('.'));

    /// <summary>Parses <c>host:port</c>, <c>host</c> (port 9110) or <c>[v6-address]:port</c>.</summary>
    public static bool TryParseEndpoint(string text, out string host, out int port)
    {
        host = text;
        port = InspectorWire.DefaultPort;
        int colon = text.LastIndexOf(':');
        bool bracketed = text.StartsWith('[');
        if (colon > 0 && (!bracketed || text[colon - 1] == ']'))
        {
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
                return false;
            host = text[..colon];
        }
        host = host.Trim('[', ']');
        return host.Length > 0;
    }
}
