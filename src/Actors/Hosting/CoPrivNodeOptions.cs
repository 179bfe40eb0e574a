using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using CoPriv.Actors.Channel;
using CoPriv.Actors.Inspection;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Hosting;

/// <summary>
/// One CoPriv process of a deployment: a member of the Akka.Cluster named <see cref="CoPrivNode.SystemName"/> with the
/// role of its party (<c>server</c> or <c>client</c>), reachable over Akka.Remote at <see cref="Hostname"/>:<see cref="Port"/>.
/// </summary>
public sealed record CoPrivNodeOptions
{
    public required PartyRole Role { get; init; }

    /// <summary>Where Akka.Remote listens (the address other nodes use unless <see cref="PublicHostname"/> is set).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Akka.Remote's port; 0 lets the OS choose.</summary>
    public int Port { get; init; }

    /// <summary>The host name other machines reach this node by, when it differs from <see cref="Hostname"/> (NAT, 0.0.0.0).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>Cluster seed nodes (<c>akka.tcp://copriv@host:port</c>); none makes this node seed itself (a first server).</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>The HOCON of the process (hocon/ files and overrides), under what this record sets.</summary>
    public Config Hocon { get; init; } = Config.Empty;

    /// <summary>
    /// The certificate (with its private key) this node presents on Akka.Remote's TLS; null runs Akka.Remote in
    /// plaintext (loopback experiments only: <c>--insecure</c>).
    /// </summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>A server node's planner (the model it owns); required for <see cref="PartyRole.Server"/>.</summary>
    public SessionPlanner? ServerPlanner { get; init; }

    /// <summary>What a server node tells clients it serves (<see cref="GetServerOffer"/>).</summary>
    public ServerOffer? ServerOffer { get; init; }

    /// <summary>
    /// The least severe log level written (Akka's logging, through Microsoft.Extensions.Logging, one line per entry on
    /// standard error so that standard output keeps only the command's own output).
    /// </summary>
    public Akka.Event.LogLevel LogLevel { get; init; } = Akka.Event.LogLevel.InfoLevel;

    /// <summary>Starts the node's inspector (<c>/user/inspector</c>, pbm's host) with the node; null: none.</summary>
    public InspectorOptions? Inspector { get; init; }

    /// <summary>A server node's direct data plane; null sends the protocol bytes as actor chunks over Akka.Remote.</summary>
    public ServerDataPlane? DataPlane { get; init; }
}
