using System.Net;
using System.Net.Sockets;
using Akka.Actor;

namespace CoPriv.Actors.Inspection;

/// <summary>Starts a system's inspector (<c>/user/inspector</c>) on the address and with the token of its options.</summary>
public static class InspectorHost
{
    /// <summary>
    /// Binds first, so that a taken port is an error at start-up rather than a dead actor, then starts the actor;
    /// returns where it listens (the OS-chosen port when 0 was asked for).
    /// </summary>
    public static IPEndPoint Start(ActorSystem system, InspectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var address = IPAddress.TryParse(options.Hostname, out var ip) ? ip : Dns.GetHostAddresses(options.Hostname).First();
        var listener = new TcpListener(address, options.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"the inspector cannot listen on {options.Hostname}:{options.Port}: {e.Message}", e);
        }
        system.ActorOf(Props.Create(() => new InspectorActor(listener, options)), InspectorActor.Name);
        return (IPEndPoint)listener.LocalEndpoint;
    }

    /// <summary>The line a command prints on stderr once its inspector listens.</summary>
    public static string ListeningLine(string command, IPEndPoint endpoint, InspectorOptions options) =>
        $"{command}: inspector listening on {Format(endpoint)} (pbm {Format(endpoint)}){(options.Token is null ? "" : "; token required for " + (options.IsLoopback ? "kill, leave, down and log level" : "every command"))}";

    private static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";
}
