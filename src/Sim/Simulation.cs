using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Configuration;
using CoPriv.Actors.Hosting;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
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
    private readonly ConcurrentDictionary<string, SessionPlan> _serverPlans = new(StringComparer.Ordinal);
    private PartyHost? _host;
    private int _sessions;

    private Simulation() { }

    /// <summary>Starts the ActorSystem (server and client parties) with <paramref name="config"/> (hocon/ files and overrides).</summary>
    public static Simulation Start(Config? config = null)
    {
        var simulation = new Simulation();
        simulation._host = PartyHost.Start(new PartyHostOptions
        {
            SystemName = "copriv-sim",
            ServerPlanner = simulation.PlanServer,
            Client = true,
            Overrides = config,
        });
        return simulation;
    }

    /// <summary>The parties' host, e.g. to query sessions or inject faults in tests.</summary>
    public PartyHost Host => _host ?? throw new InvalidOperationException("the simulation has not started");

    /// <summary>Runs every (protocol, network) pair of the request, one session after the other.</summary>
    public Task<SimulationReport> RunAsync(SimulationRequest request, ISimulationObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var graph = ModelZoo.Get(request.Model).Create(new ZooOptions(request.Seed, request.Width));
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
        var image = RandomImage(graph.InputShape, request.Seed);
        var runs = new List<ProtocolRunReport>();
        foreach (var protocol in request.Protocols)
        {
            var policy = SecureInferencePolicy.Parse(protocol, request.RingBits, request.Scale);
            var program = FixedPointLowering.Lower(graph, policy.FixedPoint);
            var plan = SecureInferencePlan.Create(program, policy);
            foreach (var network in request.Networks)
                runs.Add(await RunSessionAsync(policy.Name, plan, program, image, network, request, observer).ConfigureAwait(false));
        }
        return new SimulationReport(graph.Name, graph.Description, request.Networks[0].Mode.ToString().ToLowerInvariant(),
            request.RingBits, request.Scale,
            request.Networks.Select(n => new NetworkDescription(n.Link.Name, n.Bandwidth.IsUnlimited ? null : n.Bandwidth.BitsPerSecond,
                n.RoundTripTime.TotalSeconds, n.Link.ToString())).ToArray(),
            runs, started, wall.Elapsed.TotalSeconds);
    }

    /// <summary>One secure inference of <paramref name="plan"/> as an actor session over <paramref name="network"/>.</summary>
    public async Task<ProtocolRunReport> RunSessionAsync(string protocol, SecureInferencePlan plan, LoweredProgram program,
        Tensor image, NetworkSettings network, SimulationRequest request, ISimulationObserver? observer = null)
    {
        var link = LinkSession.Create(network.Mode, network.Link, request.Timer);
        var server = new ServerInference(plan, program);
        var client = new ClientInference(plan, image);
        var steps = InferenceSessionPlan.StepNames(plan);
        string networkName = network.Link.Name;
        var watch = observer is null ? null : new StepWatch(plan, link.ChannelOf(PartyRole.Client).Meter);
        InferenceStepHooks Hooks(PartyRole role) => new()
        {
            Channel = _ => link.ChannelOf(role),
            AroundStep = context =>
            {
                if (role == PartyRole.Client && watch is not null)
                    observer!.StepProgressed(protocol, networkName, watch.Enter(context.Position, context.LayerName));
                return link.AroundStep(role);
            },
            StepFinished = context =>
            {
                observer?.StepFinished(protocol, networkName, role, context.Position, context.LayerName);
            },
        };

        string id = $"{protocol}-{networkName}-{Interlocked.Increment(ref _sessions)}";
        _serverPlans[id] = InferenceSessionPlan.Create(server, Hooks(PartyRole.Server));
        observer?.SessionStarting(protocol, networkName, steps, network.Mode == NetworkMode.Emulate ? RealTimeFloor(plan, network) : null);
        var wall = Stopwatch.StartNew();
        await using var ticker = watch is null ? null : new Timer(_ =>
        {
            if (watch.Current() is { } progress) observer!.StepProgressed(protocol, networkName, progress);
        }, null, request.ProgressInterval, request.ProgressInterval);
        try
        {
            var parameters = new Dictionary<string, string>
            {
                ["model"] = plan.ModelName, ["protocol"] = protocol, ["network"] = networkName,
            };
            await Host.RunSessionAsync(Host.Server!, InferenceSessionPlan.Create(client, Hooks(PartyRole.Client)),
                request.SessionTimeout, parameters, id).ConfigureAwait(false);
        }
        finally
        {
            _serverPlans.TryRemove(id, out _);
        }
        wall.Stop();
        var report = Report(protocol, plan, network, link, server, client, wall.Elapsed);
        observer?.SessionFinished(report);
        return report;
    }

    private static TimeSpan RealTimeFloor(SecureInferencePlan plan, NetworkSettings network)
    {
        var cost = plan.PredictedCost;
        long busier = Math.Max(cost.SentBy(PartyRole.Server), cost.SentBy(PartyRole.Client));
        return network.Link.SequentialLowerBound(busier, 0);
    }

    private SessionPlan PlanServer(SessionRequest request) =>
        _serverPlans.TryRemove(request.SessionId, out var plan)
            ? plan
            : throw new InvalidOperationException($"no server side was arranged for session '{request.SessionId}'");

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
            serverCompute, clientCompute, handOver, link.Lateness?.TotalSeconds, wall.TotalSeconds, client.PredictedClass, inference);
    }

    /// <summary>A seeded image with values uniform in [-1, 1): the client's input (its content does not change the costs).</summary>
    public static Tensor RandomImage(TensorShape shape, ulong seed)
    {
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var data = new double[shape.ElementCount];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextDouble() * 2 - 1;
        return new Tensor(shape, data);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync().ConfigureAwait(false);
    }
}
