using System.Net;
using Akka.Configuration;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// Where the inspector listens and the token it requires: HOCON <c>copriv.inspector { enabled, hostname, port,
/// token }</c> under the command line (<c>--inspect [HOST:]PORT</c>) and the environment (COPRIV_INSPECTOR_TOKEN).
/// Bound to loopback unless told otherwise; binding anywhere else requires a token, and with a token set, commands
/// that change state (kill, leave, down, log level) require it even on loopback.
/// </summary>
public sealed record InspectorOptions(string Hostname, int Port, string? Token)
{
    public const string TokenVariable = "COPRIV_INSPECTOR_TOKEN";

    /// <summary>Whether <see cref="Hostname"/> is a loopback address (or <c>localhost</c>).</summary>
    public bool IsLoopback => Hostname == "localhost" || (IPAddress.TryParse(Hostname, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// The inspector of a command: <paramref name="inspect"/> (<c>PORT</c> on loopback, or <c>HOST:PORT</c>) when
    /// given, else HOCON's when <c>copriv.inspector.enabled = on</c>, else none. The token is the environment's, else HOCON's.
    /// </summary>
    public static InspectorOptions? Resolve(string? inspect, Config config, string? environmentToken)
    {
        var section = config.GetConfig("copriv.inspector") ?? Config.Empty;
        var token = environmentToken is { Length: > 0 } ? environmentToken
            : section.GetString("token", "") is { Length: > 0 } configured ? configured : null;
        string hostname = section.GetString("hostname", "127.0.0.1");
        InspectorOptions options;
        if (inspect is not null)
        {
            var (host, port) = ParseListen(inspect);
            options = new InspectorOptions(host ?? "127.0.0.1", port, token);
        }
        else if (section.GetBoolean("enabled", false))
            options = new InspectorOptions(hostname, section.GetInt("port", InspectorWire.DefaultPort), token);
        else return null;
        options.Validate();
        return options;
    }

    /// <summary>A token is required to listen on anything but loopback: the inspector can kill sessions.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"the inspector's port {Port} is not 0..65535");
        if (!IsLoopback && Token is null)
            throw new ArgumentException($"the inspector would listen on {Hostname}, beyond loopback, without a token: set {TokenVariable} or copriv.inspector.token");
    }

    /// <summary><c>PORT</c> or <c>HOST:PORT</c> (<c>[v6]:PORT</c>); host null when only a port was given.</summary>
    public static (string? Host, int Port) ParseListen(string text)
    {
        int colon = text.LastIndexOf(':');
        var host = colon < 0 ? null : text[..colon].Trim('[', ']');
        var portText = colon < 0 ? text : text[(colon + 1)..];
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
            || port > 65535 || host is { Length: 0 })
            throw new ArgumentException($"--inspect '{text}' is not PORT or HOST:PORT (e.g. 9110 or 127.0.0.1:0)");
        return (host, port);
    }
}
