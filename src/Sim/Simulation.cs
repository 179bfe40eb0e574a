using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Configuration;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Inspection;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Graph;
using CoPriv.Models.Inputs;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Models.Sources;
using CoPriv.Models.Zoo;
using CoPriv.Network;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Sim.Links;
using CoPriv.Sim.Reports;

namespace CoPriv.Sim;

/// <summary>
/// Runs secure inferences as actor sessions over modelled links, both parties in one ActorSystem of this process:
/// <c>/user/server</c> holds the model, <c>/user/client</c> the image, and every engine layer runs under a layer actor
/// at each party. The protocol bytes travel over a simulated link (virtual time, nobody sleeps) or an emulated one
/// (real delays), whose two ends this simulator holds (see <see cref="LinkSession"/>); the actor channel carries only
/// the session protocol here. Both parties learn what they would in a real deployment: the client the class.
/// </summary>
public sealed class Simulation : IAsyncDisposable
{
    /// <summary>
    /// What the simulator arranges for the server's side of each session before the client asks for it: the server's
    /// model (with its weights), its end of the modelled link and where to leave its party for the report. The plan is
    /// not among them: the server rebuilds it from the run spec in the session request, as a remote server must.
    /// </summary>
    private readonly ConcurrentDictionary<string, ServerArrangement> _arrangements = new(StringComparer.Ordinal);
    private PartyHost? _host;
    private int _sessions;

    private Simulation() { }

    /// <summary>Starts the ActorSystem (server and client parties) with <paramref name="config"/> (hocon/ files and overrides).</summary>
    /// <param name="inspector">Starts an inspector in the simulation's system (pbm sees the sessions, layers, links and log).</param>
    public static Simulation Start(Config? config = null, InspectorOptions? inspector = null)
    {
        var simulation = new Simulation();
        simulation._host = PartyHost.Start(new PartyHostOptions
        {
            SystemName = "copriv-sim",
            ServerPlanner = simulation.PlanServer,
            Client = true,
            Overrides = config,
            Inspector = inspector,
        });
        return simulation;
    }

    /// <summary>The parties' host, e.g. to query sessions or inject faults in tests.</summary>
    public PartyHost Host => _host ?? throw new InvalidOperationException("the simulation has not started");

    /// <summary>Runs every (protocol, network) pair of the request, one session after the other.</summary>
    public Task<SimulationReport> RunAsync(SimulationRequest request, ISimulationObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var graph = ModelSources.Resolve(request.Spec.Model).Create(new ZooOptions(request.Seed, request.Spec.Width));
        return RunAsync(graph, request, observer);
    }

    /// <summary>As <see cref="RunAsync(SimulationRequest, ISimulationObserver?)"/> for a model of the caller's (the request's model name is ignored).</summary>
    public async Task<SimulationReport> RunAsync(ModelGraph graph, SimulationRequest request, ISimulationObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Protocols.Count == 0) throw new ArgumentException("name at least one protocol");
        if (request.Networks.Count == 0) throw new ArgumentException("name at least one network");
        var started = DateTimeOffset.Now;
        var wall = Stopwatch.StartNew();
        var image = InputImages.Random(graph.InputShape, request.Seed).Image;
        var runs = new List<ProtocolRunReport>();
        foreach (var protocol in request.Protocols)
        {
            var spec = request.Spec.WithProtocol(protocol);
            var plan = SecureInferencePlan.ForModel(graph, spec);
            foreach (var network in request.Networks)
                runs.Add(await RunSessionAsync(plan, graph, image, network, request, observer).ConfigureAwait(false));
        }
        return new SimulationReport(graph.Name, graph.Description, request.Networks[0].Mode.ToString().ToLowerInvariant(),
            request.Spec.RingBits, request.Spec.Scale,
            request.Networks.Select(n => new NetworkDescription(n.Link.Name, n.Bandwidth.IsUnlimited ? null : n.Bandwidth.BitsPerSecond,
                n.RoundTripTime.TotalSeconds, n.Link.ToString(), n.Jitter.TotalSeconds, n.Loss,
                n.Link.EffectiveBandwidth.IsUnlimited ? null : n.Link.EffectiveBandwidth.BitsPerSecond)).ToArray(),
            runs, started, wall.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One secure inference of the client's <paramref name="plan"/> (made from a run spec) as an actor session over
    /// <paramref name="network"/>, the server holding <paramref name="serverModel"/> and planning from the spec it is sent.
    /// </summary>
    public async Task<ProtocolRunReport> RunSessionAsync(SecureInferencePlan plan, ModelGraph serverModel, Tensor image,
        NetworkSettings network, SimulationRequest request, ISimulationObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(serverModel);
        var spec = plan.Spec ?? throw new ArgumentException("a simulated session needs a plan made from a run spec", nameof(plan));
        string protocol = spec.Protocol;
        var link = LinkSession.Create(network.Mode, network.Link, request.Timer);
        var client = new ClientInference(plan, image);
        var steps = InferenceSessionPlan.StepNames(plan);
        string networkName = network.Link.Name;
        var watch = observer is null ? null : new StepWatch(plan, link.ChannelOf(PartyRole.Client).Meter);
        bool ahead = plan.Policy.Preprocess == PreprocessMode.Ahead;
        var setupEnds = new double[2];
        var serverSetUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        InferenceStepHooks Hooks(PartyRole role) => new()
        {
            Channel = _ => link.ChannelOf(role),
            AroundStep = context =>
            {
                if (role == PartyRole.Client)
                {
                    if (ahead && context.Position == 2) AwaitInput(context);
                    link.Chain.BeginLayer(context.LayerName);
                    watch?.Publish(watch.Enter(context.Position, context.LayerName), p => observer!.StepProgressed(protocol, networkName, p));
                }
                return link.AroundStep(role, context.LayerName);
            },
            StepFinished = context =>
            {
                if (context.Position == 1)
                {
                    Volatile.Write(ref setupEnds[(int)role], link.SecondsOf(role));
                    if (role == PartyRole.Server) serverSetUp.TrySetResult();
                }
                observer?.StepFinished(protocol, networkName, role, context.Position, context.LayerName);
            },
        };

        // Ahead, the client's input exists only once both parties have pre-processed: its online phase starts then.
        void AwaitInput(LayerStepContext context)
        {
            if (!serverSetUp.Task.Wait(request.SessionTimeout, context.Cancellation))
                throw new TimeoutException($"the server did not finish its pre-processing within {request.SessionTimeout}");
            link.HoldUntil(PartyRole.Client, Math.Max(Volatile.Read(ref setupEnds[0]), Volatile.Read(ref setupEnds[1])));
        }

        string id = $"{protocol}-{networkName}-{Interlocked.Increment(ref _sessions)}";
        using var shownLink = InspectedLinks.For(Host.System).Register(id, () => LinkView(id, link, network));
        var arrangement = new ServerArrangement(serverModel, Hooks(PartyRole.Server));
        _arrangements[id] = arrangement;
        observer?.SessionStarting(protocol, networkName, steps, network.Mode == NetworkMode.Emulate ? RealTimeFloor(plan, network) : null);
        var wall = Stopwatch.StartNew();
        await using var ticker = watch is null ? null : new Timer(_ =>
        {
            if (watch.Current() is { } progress) watch.Publish(progress, p => observer!.StepProgressed(protocol, networkName, p));
        }, null, request.ProgressInterval, request.ProgressInterval);
        try
        {
            await Host.RunSessionAsync(Host.Server!, InferenceSessionPlan.Create(client, Hooks(PartyRole.Client)),
                request.SessionTimeout, InferenceSessionPlan.RequestParameters(plan), id).ConfigureAwait(false);
        }
        finally
        {
            _arrangements.TryRemove(id, out _);
        }
        wall.Stop();
        var server = arrangement.Party ?? throw new InvalidOperationException($"session {id} ended without a server party");
        var report = Report(protocol, plan, network, link, server, client, wall.Elapsed);
        if (ahead)
        {
            double preprocessing = Math.Max(setupEnds[0], setupEnds[1]);
            report = report with
            {
                PreprocessingSeconds = preprocessing,
                OnlineSeconds = Math.Max(0, report.SimulatedSeconds - preprocessing),
                ServerPreprocessedBytes = server.PreprocessedBytes,
                ClientPreprocessedBytes = client.PreprocessedBytes,
            };
        }
        observer?.SessionFinished(report);
        return report;
    }

    private static LinkView LinkView(string id, LinkSession link, NetworkSettings network)
    {
        LinkDirectionView Direction(PartyRole sender, string name)
        {
            var direction = link.DirectionFrom(sender);
            long? queued = link.NowSeconds is { } now && !network.Bandwidth.IsUnlimited
                ? (long)(Math.Max(0, direction.BusyUntil - now) * network.Bandwidth.BytesPerSecond)
                : null;
            return new LinkDirectionView(name, direction.BytesCarried, direction.MessagesCarried, queued);
        }
        return new LinkView(id, network.Link.Name, network.Mode.ToString().ToLowerInvariant(),
            network.Bandwidth.IsUnlimited ? null : network.Bandwidth.BitsPerSecond, network.RoundTripTime, link.Latency,
            [Direction(PartyRole.Server, "server -> client"), Direction(PartyRole.Client, "client -> server")]);
    }

    private static TimeSpan RealTimeFloor(SecureInferencePlan plan, NetworkSettings network)
    {
        var cost = plan.PredictedCost;
        long busier = Math.Max(cost.SentBy(PartyRole.Server), cost.SentBy(PartyRole.Client));
        return network.Link.SequentialLowerBound(busier, 0);
    }

    /// <summary>
    /// The server party's planner: the plan is rebuilt from the run spec of the request and the server's own model,
    /// and refused (naming the difference) unless its fingerprint is the client's.
    /// </summary>
    private SessionPlan PlanServer(SessionRequest request)
    {
        if (!_arrangements.TryGetValue(request.SessionId, out var arrangement))
            throw new InvalidOperationException($"no server side was arranged for session '{request.SessionId}'");
        var (plan, program) = InferenceSessionPlan.ServerPlan(arrangement.Model, request.Parameters);
        arrangement.Party = new ServerInference(plan, program);
        return InferenceSessionPlan.Create(arrangement.Party, arrangement.Hooks);
    }

    private sealed class ServerArrangement(ModelGraph model, InferenceStepHooks hooks)
    {
        public ModelGraph Model { get; } = model;
        public InferenceStepHooks Hooks { get; } = hooks;

        /// <summary>The server's party once its planner ran (read after the session, for the report).</summary>
        public ServerInference? Party { get; set; }
    }

    private static ProtocolRunReport Report(string protocol, SecureInferencePlan plan, NetworkSettings network, LinkSession link,
        ServerInference server, ClientInference client, TimeSpan wall)
    {
        var inference = InferenceReportBuilder.SecureRun(plan, server.Meter, client.Meter, server, client);
        var chain = link.Chain.Longest;
        double latency = link.Latency.TotalSeconds;
        var serverCompute = link.ComputeOf(PartyRole.Server)?.TotalSeconds;
        var clientCompute = link.ComputeOf(PartyRole.Client)?.TotalSeconds;
        double? compute = serverCompute is { } s && clientCompute is { } c ? Math.Max(s, c) : null;
        double? handOver = compute is null ? null
            : (serverCompute >= clientCompute ? link.OverheadOf(PartyRole.Server) : link.OverheadOf(PartyRole.Client))?.TotalSeconds;
        string mode = network.Mode.ToString().ToLowerInvariant();
        inference = inference with
        {
            PredictedClass = client.PredictedClass,
            Network = new NetworkSection
            {
                Mode = network.Mode == NetworkMode.Simulate ? "simulated" : "emulated",
                Link = network.Link.Name,
                BandwidthBitsPerSecond = network.Bandwidth.IsUnlimited ? null : network.Bandwidth.BitsPerSecond,
                RoundTripSeconds = network.RoundTripTime.TotalSeconds,
                LatencySeconds = latency,
            },
        };
        return new ProtocolRunReport(protocol, network.Link.Name, mode,
            inference.TotalBytes, inference.OnlineBytes, inference.PreprocessingBytes, inference.Rounds,
            compute, latency, compute is { } busy ? Math.Max(0, latency - busy - (handOver ?? 0)) : null,
            chain.Bound.TotalSeconds, chain.Bytes, chain.Flights,
            inference.SetupBytes, inference.SetupRounds, inference.Predicted.TotalBytes, inference.Predicted.Rounds,
            serverCompute, clientCompute, handOver, link.Lateness?.TotalSeconds, wall.TotalSeconds, client.PredictedClass, inference)
        {
            Preprocess = plan.Policy.Preprocess.Name(),
            OnlineFlights = link.Chain.OnlineFlights,
            OnlineRoundTripsPerLayer = link.Chain.OnlineFlightsPerLayer
                .Select(l => new LayerRoundTrips(l.Layer, l.OnlineFlights)).ToArray(),
            Timeline = link.Timeline(),
        };
    }

    /// <summary>Round trips for a number of one-way flights: two flights make one, an odd last flight counts as one.</summary>
    public static long RoundTrips(long flights) => (flights + 1) / 2;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync().ConfigureAwait(false);
    }
}
