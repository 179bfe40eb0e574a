using Akka.Actor;
using Akka.Configuration;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Inspection;
using CoPriv.Actors.Logging;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Cli.Commands;

/// <summary>
/// What `copriv run --inspect` adds to an in-process run, which has no actors of its own: a small ActorSystem with
/// the inspector and one <see cref="InProcessRunParty"/> per party, fed by the engine's per-layer progress and reading
/// the parties' traffic meters of the in-memory channels the run uses. pbm then shows the run's one session (layer
/// progress, bytes per layer, phase and direction beside the prediction) and the log, and <c>copriv kill run</c> fails
/// the channels, which ends both parties' threads; <see cref="Killed"/> then says where and why.
/// </summary>
internal sealed class RunInspection : IDisposable
{
    public const string SessionId = "run";
    private readonly ActorSystem _system;
    private IActorRef _server = ActorRefs.Nobody, _client = ActorRefs.Nobody;
    private InProcessRunKilled? _killed;

    private RunInspection(ActorSystem system, (IChannel, IChannel) channels)
    {
        _system = system;
        Channels = channels;
    }

    /// <summary>The channel pair the run must use, so that the inspector reads its meters and can fail it.</summary>
    public (IChannel Server, IChannel Client) Channels { get; }

    /// <summary>The first kill of the run from the inspector (the layer it hit, and the reason), or null.</summary>
    public InProcessRunKilled? Killed => Volatile.Read(ref _killed);

    public static RunInspection Start(InspectorOptions options, SecureInferencePlan plan, Config config)
    {
        var system = ActorSystem.Create("copriv-run", ActorsConfig.Local(ConfigurationFactory.ParseString(
            $"akka {{ loglevel = INFO, stdout-loglevel = OFF, loggers = [\"{LogBufferLogger.TypeName}\"] }}").WithFallback(config)));
        var (serverChannel, clientChannel) = InMemoryChannel.CreatePair();
        var inspection = new RunInspection(system, (serverChannel, clientChannel));
        var layers = plan.Layers.Select(l => (l.Name, (CommunicationCost?)l.Predicted)).ToArray();
        inspection._server = system.ActorOf(InProcessRunParty.Props(PartyRole.Server, SessionId, serverChannel, layers, inspection.OnKilled), "server");
        inspection._client = system.ActorOf(InProcessRunParty.Props(PartyRole.Client, SessionId, clientChannel, layers, inspection.OnKilled), "client");
        var endpoint = InspectorHost.Start(system, options);
        InspectOption.Announce("copriv run", endpoint, options);
        return inspection;
    }

    private void OnKilled(InProcessRunKilled killed) => Interlocked.CompareExchange(ref _killed, killed, null);

    public void LayerFinished(LayerProgress progress) =>
        (progress.Role == PartyRole.Server ? _server : _client).Tell(new InProcessLayerFinished(progress.Index, progress.LayerTime));

    public void Ended(string? failure)
    {
        _server.Tell(new InProcessRunEnded(failure));
        _client.Tell(new InProcessRunEnded(failure));
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
