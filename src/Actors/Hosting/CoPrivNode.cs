using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CoPriv.Actors.Inspection;
using CoPriv.Actors.Logging;
using CoPriv.Actors.Sessions;
using CoPriv.Protocols.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace CoPriv.Actors.Hosting;

/// <summary>
/// A CoPriv process of a two-machine deployment, hosted the Akka way (Microsoft.Extensions.Hosting with Akka.Hosting,
/// Akka.Remote.Hosting and Akka.Cluster.Hosting): an Akka.Cluster member with the role of its party, Akka.Remote over
/// TLS unless told otherwise, and the party actor (<c>/user/server</c> or <c>/user/client</c>). Stopping the node runs
/// Akka's coordinated shutdown: a server first drains its sessions (they finish, or fail with a clear reason when
/// <c>copriv.server.drain-timeout</c> runs out), then the node leaves the cluster.
/// </summary>
public sealed class CoPrivNode : IAsyncDisposable
{
    /// <summary>The ActorSystem name every node of a deployment shares (part of the addresses).</summary>
    public const string SystemName = "copriv";

    private readonly IHost _host;

    private CoPrivNode(IHost host, ActorSystem system, IActorRef party, PartyRole role)
    {
        _host = host;
        System = system;
        Party = party;
        Role = role;
    }

    public ActorSystem System { get; }
    public PartyRole Role { get; }

    /// <summary>Where this node's inspector listens; null without one (<see cref="CoPrivNodeOptions.Inspector"/>).</summary>
    public IPEndPoint? InspectorEndpoint { get; private init; }

    /// <summary>This node's party actor (<c>/user/server</c> or <c>/user/client</c>).</summary>
    public IActorRef Party { get; }

    /// <summary>The address other nodes reach this one at: <c>akka.tcp://copriv@host:port</c> (or akka.ssl.tcp).</summary>
    public Address Address => Cluster.Get(System).SelfAddress;

    /// <summary>The cluster role of a party: <c>server</c> or <c>client</c>.</summary>
    public static string ClusterRole(PartyRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The seed-node address of a node listening at <paramref name="hostAndPort"/> (<c>host:port</c>).</summary>
    public static string NodeAddress(string hostAndPort, bool tls) =>
        $"akka.{(tls ? "ssl.tcp" : "tcp")}://{SystemName}@{hostAndPort}";

    /// <summary>Starts the node and its party; returns once the ActorSystem runs (joining the cluster goes on).</summary>
    public static async Task<CoPrivNode> StartAsync(CoPrivNodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Role == PartyRole.Server && options.ServerPlanner is null)
            throw new ArgumentException("a server node needs a planner (the model it serves)", nameof(options));
        IPEndPoint? inspectorEndpoint = null;
        EnsurePortFree(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        // stderr follows Akka's log level, which the inspector's 'log level' may change while the node runs.
        ActorSystem? started = null;
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter((_, _, level) => level >= MicrosoftLevel(started?.EventStream.LogLevel ?? options.LogLevel));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        // The host's own start-up chatter, and DotNetty's benign notice that a closed connection left its group late.
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("TcpClientHandler", LogLevel.Error);
        builder.Logging.AddFilter("TcpServerHandler", LogLevel.Error);
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddAkka(SystemName, akka =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = options.LogLevel;
                loggers.ClearLoggers();
                loggers.AddLogger<NodeLogger>();
            });
            akka.AddHocon(ActorsConfig.Validate(options.Hocon.WithFallback(ActorsConfig.RemoteDefaults).WithFallback(ActorsConfig.Defaults)),
                HoconAddMode.Append);
            akka.WithRemoting(Remote(options));
            akka.WithClustering(new ClusterOptions
            {
                Roles = [ClusterRole(options.Role)],
                SeedNodes = options.SeedNodes.Count > 0 ? options.SeedNodes.ToArray() : null,
                // No split-brain resolver: it would let a client's observations down a server (ServerDowning.cs).
            });
            akka.AddHocon(ConfigurationFactory.ParseString(
                $"akka.cluster.downing-provider-class = \"{typeof(ServerDowningProvider).AssemblyQualifiedName}\""), HoconAddMode.Prepend);
            akka.WithActors((system, registry) =>
            {
                var settings = SessionSettings.FromConfig(system.Settings.Config);
                var party = options.Role == PartyRole.Server
                    ? system.ActorOf(ServerParty.Props(options.ServerPlanner!, settings, options.ServerOffer, options.DataPlane), ServerParty.Name)
                    : system.ActorOf(ClientParty.Props(settings), ClientParty.Name);
                registry.Register<PartyMarker>(party);
                if (options.Inspector is { } inspector) inspectorEndpoint = InspectorHost.Start(system, inspector);
            });
            if (options.Role == PartyRole.Server) akka.AddStartup((system, registry) => DrainBeforeLeaving(system, registry.Get<PartyMarker>()));
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SocketFailure(e) is { } socket)
        {
            host.Dispose();
            throw CannotListen(options, socket);
        }
        var system = host.Services.GetRequiredService<ActorSystem>();
        started = system;
        if (options.SeedNodes.Count == 0) Cluster.Get(system).Join(Cluster.Get(system).SelfAddress);
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        return new CoPrivNode(host, system, registry.Get<PartyMarker>(), options.Role) { InspectorEndpoint = inspectorEndpoint };
    }

    /// <summary>
    /// A port another process holds, found before Akka starts: Akka.Hosting would report it with a dump of nested
    /// exceptions on the console before the one-line error (which a port taken between this check and the start still
    /// gets, from <see cref="SocketFailure"/>).
    /// </summary>
    private static void EnsurePortFree(CoPrivNodeOptions options)
    {
        if (options.Port == 0 || !IPAddress.TryParse(options.Hostname, out var address)) return;
        var probe = new TcpListener(address, options.Port);
        try
        {
            probe.Start();
        }
        catch (SocketException e)
        {
            throw CannotListen(options, e);
        }
        finally
        {
            probe.Stop();
        }
    }

    private static IOException CannotListen(CoPrivNodeOptions options, SocketException socket) =>
        new($"cannot listen on {options.Hostname}:{options.Port} for Akka.Remote: {socket.Message} (choose another port with --listen)", socket);

    /// <summary>
    /// The socket error under a failed start (Akka.Remote wraps a port that is taken in several layers of
    /// AggregateException and RemoteTransportException), or null when the start failed for another reason.
    /// </summary>
    private static SocketException? SocketFailure(Exception? e) => e switch
    {
        null => null,
        SocketException socket => socket,
        AggregateException all => all.InnerExceptions.Select(SocketFailure).FirstOrDefault(s => s is not null),
        _ => SocketFailure(e.InnerException),
    };

    private static LogLevel MicrosoftLevel(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };

    private static RemoteOptions Remote(CoPrivNodeOptions options) => new()
    {
        HostName = options.Hostname,
        Port = options.Port,
        PublicHostName = options.PublicHostname,
        EnableSsl = options.Certificate is not null,
        Ssl = new SslOptions
        {
            X509Certificate = options.Certificate,
            RequireMutualAuthentication = true,
            ValidateCertificateHostname = false,
            // Self-signed certificates, and every member talks to every other (clients to clients too), so Akka.Remote
            // accepts any certificate its peer proves it holds: trust comes from the server fingerprint a client pins
            // on its data plane, which carries every protocol byte.
            CustomValidator = (certificate, _, _, _, _) => certificate is not null,
        },
    };

    /// <summary>A server's sessions finish (or fail, when the drain times out) before the node leaves the cluster.</summary>
    private static void DrainBeforeLeaving(ActorSystem system, IActorRef serverParty)
    {
        var timeout = system.Settings.Config.GetTimeSpan("copriv.server.drain-timeout", TimeSpan.FromSeconds(60));
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "copriv-drain-sessions", async () =>
        {
            await serverParty.Ask<SessionsDrained>(new DrainSessions(timeout), timeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return Akka.Done.Instance;
        });
    }

    /// <summary>Runs until the process is told to stop (Ctrl-C, SIGTERM), then shuts down gracefully.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _host.WaitForShutdownAsync(cancellationToken);

    /// <summary>Leaves the cluster and stops (coordinated shutdown).</summary>
    /// <summary>Leaves the cluster and stops the node; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }

    private int _disposed;

    /// <summary>The actor-registry key of this node's party.</summary>
    private sealed class PartyMarker;
}
