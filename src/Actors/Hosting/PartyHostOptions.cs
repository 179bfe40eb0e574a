using Akka.Configuration;
using CoPriv.Actors.Inspection;
using CoPriv.Inference.Sessions;

namespace CoPriv.Actors.Hosting;

/// <summary>
/// What one <see cref="PartyHost"/> runs: a server party (when <see cref="ServerPlanner"/> is set), a client party,
/// the inspector, and whether the system listens on Akka.Remote. Everything else comes from HOCON
/// (<see cref="Overrides"/> over <see cref="ActorsConfig"/>).
/// </summary>
public sealed record PartyHostOptions
{
    public string SystemName { get; init; } = "copriv";

    /// <summary>Starts <c>/user/server</c> with this planner.</summary>
    public SessionPlanner? ServerPlanner { get; init; }

    /// <summary>Starts <c>/user/client</c>.</summary>
    public bool Client { get; init; }

    /// <summary>Starts <c>/user/inspector</c> where these options say (port 0: any free port).</summary>
    public InspectorOptions? Inspector { get; init; }

    /// <summary>Listens on Akka.Remote at <see cref="Hostname"/>:<see cref="Port"/> (0: any free port).</summary>
    public bool Remote { get; init; }

    public string Hostname { get; init; } = "127.0.0.1";
    public int Port { get; init; }

    public Config? Overrides { get; init; }
}
