using System.Net;
using Akka.Actor;
using CoPriv.Actors.Inspection;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;

namespace CoPriv.Actors.Hosting;

/// <summary>
/// Starts one ActorSystem with the parties and inspector a process needs, from HOCON: both parties in one system for
/// simulation, or a server system and a client system (in two processes or machines) linked by Akka.Remote, the
/// client reaching the server party by its address (<see cref="PartyPath"/>).
/// </summary>
public sealed class PartyHost : IAsyncDisposable
{
    private PartyHost(ActorSystem system, IActorRef? server, IActorRef? client, IPEndPoint? inspectorEndpoint)
    {
        System = system;
        Server = server;
        Client = client;
        InspectorEndpoint = inspectorEndpoint;
    }

    public ActorSystem System { get; }
    public IActorRef? Server { get; }
    public IActorRef? Client { get; }

    /// <summary>Where the inspector listens (the OS-chosen port when 0 was asked for).</summary>
    public IPEndPoint? InspectorEndpoint { get; }

    /// <summary>The system's address: <c>akka.tcp://name@host:port</c> with remoting, <c>akka://name</c> without.</summary>
    public Address Address => ((ExtendedActorSystem)System).Provider.DefaultAddress;

    /// <summary>The full path of a top-level actor of this system, e.g. the server party to give to a client.</summary>
    public string PartyPath(string name) => $"{Address}/user/{name}";

    public static PartyHost Start(PartyHostOptions options)
    {
        var overrides = options.Overrides;
        var config = options.Remote
            ? ActorsConfig.Remote(options.Hostname, options.Port, overrides)
            : ActorsConfig.Local(overrides);

        var system = ActorSystem.Create(options.SystemName, config);
        try
        {
            var settings = SessionSettings.FromConfig(system.Settings.Config);
            var server = options.ServerPlanner is { } planner
                ? system.ActorOf(ServerParty.Props(planner, settings), ServerParty.Name)
                : null;
            var client = options.Client ? system.ActorOf(ClientParty.Props(settings), ClientParty.Name) : null;
            var endpoint = options.Inspector is { } inspect ? InspectorHost.Start(system, inspect) : null;
            return new PartyHost(system, server, client, endpoint);
        }
        catch
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            throw;
        }
    }

    /// <summary>Finds an actor by full path (e.g. a remote server party), failing with a message that names the path.</summary>
    public async Task<IActorRef> ResolveAsync(string path, TimeSpan timeout)
    {
        try
        {
            return await System.ActorSelection(path).ResolveOne(timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ActorNotFoundException or AskTimeoutException or TaskCanceledException)
        {
            throw new InvalidOperationException($"no actor answers at {path} within {timeout.TotalSeconds:0.#} s", e);
        }
    }

    /// <summary>Runs a session of this host's client party against a server party (local or remote).</summary>
    public Task<SessionCompleted> RunSessionAsync(IActorRef serverParty, SessionPlan plan, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? parameters = null, string? sessionId = null) =>
        (Client ?? throw new InvalidOperationException("this host runs no client party"))
            .RunSessionAsync(serverParty, plan, timeout, parameters, sessionId);

    public async ValueTask DisposeAsync() => await System.Terminate().ConfigureAwait(false);
}
