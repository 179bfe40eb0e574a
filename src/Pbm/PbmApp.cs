using System.Globalization;
using CoPriv.Actors.Inspection;

namespace CoPriv.Pbm;

/// <summary>
/// pbm, the inspection client: <c>pbm &lt;host:port&gt; &lt;command…&gt;</c> sends the command to a CoPriv
/// inspector (<c>/user/inspector</c>) and prints its answer. The command palettes live in the host; <c>help</c>
/// lists them. Exit codes: see the constants.
/// </summary>
public static class PbmApp
{
    public const int Ok = 0;
    /// <summary>The host answered that the command failed (unknown command, no such session, …).</summary>
    public const int CommandFailed = 1;
    /// <summary>pbm was called wrongly.</summary>
    public const int Usage = 2;
    /// <summary>The host could not be reached or did not answer.</summary>
    public const int Unreachable = 3;

    private const string UsageText = """
        usage: pbm <host[:port]> <command...>      (port defaults to 9110)
          pbm 127.0.0.1:9110 help                  list the host's command palettes
          pbm 127.0.0.1:9110 actor tree            the live actor tree
          pbm 127.0.0.1:9110 copriv sessions       running and recent sessions
          pbm 127.0.0.1:9110 copriv session <id>   one session with its layers
          pbm 127.0.0.1:9110 copriv party          party counters
          pbm 127.0.0.1:9110 copriv kill <id>      fail a session on both sides
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeSpan? timeout = null)
    {
        if (args.Length == 1 && args[0] is "-h" or "--help")
        {
            await output.WriteLineAsync(UsageText).ConfigureAwait(false);
            return Ok;
        }
        if (args.Length < 2)
        {
            await error.WriteLineAsync(UsageText).ConfigureAwait(false);
            return Usage;
        }
        if (!TryParseEndpoint(args[0], out var host, out var port))
        {
            await error.WriteLineAsync($"pbm: '{args[0]}' is not host:port (e.g. 127.0.0.1:9110)").ConfigureAwait(false);
            return Usage;
        }

        InspectorReply reply;
        try
        {
            reply = await PbmClient.SendAsync(host, port, string.Join(' ', args.Skip(1)), timeout ?? TimeSpan.FromSeconds(15))
                .ConfigureAwait(false);
        }
        catch (InspectorUnreachableException e)
        {
            await error.WriteLineAsync($"pbm: {e.Message}").ConfigureAwait(false);
            return Unreachable;
        }
        if (reply.Ok)
        {
            await output.WriteAsync(reply.Text).ConfigureAwait(false);
            return Ok;
        }
        await error.WriteAsync($"pbm: {reply.Text}").ConfigureAwait(false);
        return CommandFailed;
    }

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
