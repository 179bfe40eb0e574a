using Akka.Configuration;
using CoPriv.Actors.Inspection;

namespace CoPriv.Cli.Commands;

/// <summary>
/// What `--inspect [HOST:]PORT` means on the long-running commands (serve, infer, simulate, run): the inspector's
/// options from the option, HOCON <c>copriv.inspector</c> and the token in COPRIV_INSPECTOR_TOKEN; and the one
/// stderr line that says where it listens.
/// </summary>
internal static class InspectOption
{
    public const string Description =
        "Start the inspector that pbm talks to on [[HOST:]]PORT (a port alone: loopback; 0: any free port); default off unless copriv.inspector.enabled = on. Beyond loopback a token is required (COPRIV_INSPECTOR_TOKEN or copriv.inspector.token).";

    public static InspectorOptions? Resolve(string? inspect, Config config) =>
        InspectorOptions.Resolve(inspect, config, NodeSettings.Env(InspectorOptions.TokenVariable));

    public static void Announce(string command, System.Net.IPEndPoint? endpoint, InspectorOptions? options)
    {
        if (endpoint is null || options is null) return;
        Console.Error.WriteLine(InspectorHost.ListeningLine(command, endpoint, options));
        Console.Error.Flush();
    }
}
