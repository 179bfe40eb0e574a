using System.ComponentModel;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Inputs;
using CoPriv.Models.Onnx;
using CoPriv.Models.Sources;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;
using CoPriv.Sim.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv infer`: a client node. It joins the cluster through the given server, asks the server nodes what they serve
/// (the run spec and the fingerprint of the public plan — never weights), rebuilds the plan and checks it, runs its
/// session(s) on the least loaded server(s) with the image as its secret, and prints the predicted class with the same
/// report `copriv run` prints (bytes per layer and phase both ways, rounds, seconds, the cost model beside the meters).
/// Run-spec options on the command line ask for that spec instead of the offered one (the server refuses a difference).
/// Any failure is one line on stderr and exit code 1.
/// </summary>
public sealed class InferCommand : AsyncCommand<InferCommand.Settings>
{
    public sealed class Settings : NodeSettings
    {
        [CommandOption("--server <HOST:PORT>")]
        [Description("A server node's Akka.Remote address (env COPRIV_SERVER).")]
        public string? Server { get; init; }

        [CommandOption("--server-fingerprint <SHA256>")]
        [Description("The server certificate's SHA-256 fingerprint (`copriv serve --print-fingerprint`; comma-separated for several servers; env COPRIV_SERVER_FINGERPRINT). Without it the first certificate seen is trusted, and printed.")]
        public string? ServerFingerprint { get; init; }

        [CommandOption("--input <FILE>")]
        [Description("The client's image: a CIFAR binary (.bin), PNG, PPM, a NumPy float array (.npy) or raw float32 (.f32); a seeded random image when absent.")]
        public string? Input { get; init; }

        [CommandOption("--index <I>")]
        [Description("Which image of the input file (0-based); session k of --sessions takes image I + k.")]
        [DefaultValue(0)]
        public int Index { get; init; }

        [CommandOption("--image-seed <N>")]
        [Description("Seed of the random image when no --input is given.")]
        [DefaultValue(1UL)]
        public ulong ImageSeed { get; init; } = 1;

        [CommandOption("--sessions <N>")]
        [Description("Run N sessions at once, spread over the cluster's least loaded servers.")]
        [DefaultValue(1)]
        public int Sessions { get; init; } = 1;

        [CommandOption("--timeout <SECONDS>")]
        [Description("How long a session may take before it is given up.")]
        [DefaultValue(3600)]
        public int Timeout { get; init; } = 3600;

        [CommandOption("--json")]
        [Description("Print the report as one JSON object (an array for several sessions).")]
        public bool Json { get; init; }

        [CommandOption("--markdown <FILE>")]
        [Description("Also write the (first) report as Markdown to this file.")]
        public string? Markdown { get; init; }

        [CommandOption("--layers")]
        [Description("Also list every layer in the table (JSON always has them).")]
        public bool Layers { get; init; }

        public override ValidationResult Validate()
        {
            if (Index < 0) return ValidationResult.Error($"--index must be 0 or more, got {Index}");
            if (Sessions < 1) return ValidationResult.Error($"--sessions must be at least 1, got {Sessions}");
            if (Timeout < 1) return ValidationResult.Error($"--timeout must be at least 1 s, got {Timeout}");
            return base.Validate();
        }
    }

    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Before the node starts: from here on only the report goes to stdout.
        var stdout = ReportStdout.Claim();
        var serverText = settings.Server ?? NodeSettings.Env("COPRIV_SERVER")
            ?? throw new ArgumentException("--server HOST:PORT is required (a server node's address; env COPRIV_SERVER)");
        var (serverHost, serverPort) = NodeSettings.ParseHostPort(serverText, "--server");
        var pinned = (settings.ServerFingerprint ?? NodeSettings.Env("COPRIV_SERVER_FINGERPRINT"))?
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(CertificateFingerprint.Parse).ToHashSet() ?? [];
        if (settings.Insecure && pinned.Count > 0)
            throw new ArgumentException("--server-fingerprint pins a TLS certificate; it cannot go with --insecure");
        settings.WarnIfSeeded();
        var config = CoPrivConfig.Load(settings.Config ?? CoPrivConfig.DefaultDirectory(), "client", cluster: true);
        var (host, port) = settings.ListenAddress("127.0.0.1:0");
        bool tls = !settings.Insecure;
        string serverAddress = CoPrivNode.NodeAddress($"{serverHost}:{serverPort}", tls);

        using var certificate = tls ? DataPlaneCertificate.CreateEphemeral() : null;
        var inspector = InspectOption.Resolve(settings.Inspect, config);
        await using var node = await CoPrivNode.StartAsync(new CoPrivNodeOptions
        {
            Role = PartyRole.Client,
            Hostname = host,
            Port = port,
            PublicHostname = settings.PublicHostname,
            SeedNodes = [serverAddress],
            Hocon = config,
            LogLevel = settings.LogLevelOr(Akka.Event.LogLevel.WarningLevel),
            Certificate = certificate?.Certificate,
            Inspector = inspector,
        }, cancellationToken).ConfigureAwait(false);
        InspectOption.Announce("copriv infer", node.InspectorEndpoint, inspector);

        var servers = await ServersAsync(node, serverAddress, cancellationToken).ConfigureAwait(false);
        if (servers.Count == 0) throw new InferException($"no server answers at {serverAddress}");
        var dataPlaneOptions = ServeCommand.DataPlaneOptions(config.GetConfig("copriv.network.data-plane")) with { Insecure = settings.Insecure };
        var plans = new Dictionary<string, (SecureInferencePlan Plan, IModelSource Model)>(StringComparer.Ordinal);
        var trusted = new HashSet<CertificateFingerprint>();
        var runs = new List<Task<InferenceReport>>();
        for (int k = 0; k < settings.Sessions; k++)
        {
            var (server, offer) = servers[k % servers.Count];
            if (!plans.TryGetValue(offer.PlanFingerprint, out var planned))
            {
                planned = PlanToAskFor(offer, settings.CommandLine(), server);
                plans[offer.PlanFingerprint] = planned;
                if (!settings.Json) Console.Error.WriteLine($"copriv infer: {server.Path.Address} serves {planned.Plan.Spec}");
            }
            var plan = planned.Plan;
            var pin = PinFor(offer, pinned, tls, server);
            if (pin is not null && pinned.Count == 0 && trusted.Add(pin))
                Console.Error.WriteLine($"copriv infer: warning: trusting the certificate {pin.Hex} of {server.Path.Address} on first use; pin it with --server-fingerprint");
            runs.Add(RunAsync(node, server, plan, Image(settings, planned.Model, plan, k), settings, dataPlaneOptions with { PinnedFingerprint = pin }));
        }
        var reports = await Task.WhenAll(runs).ConfigureAwait(false);
        await node.DisposeAsync().ConfigureAwait(false);
        Print(settings, reports, stdout);
        return 0;
    }

    /// <summary>
    /// The server nodes to use, least loaded first: the cluster's members with the role server once this node has
    /// joined (or, if joining takes too long, the given server alone), each with what it offers.
    /// </summary>
    private static async Task<List<(IActorRef Server, ServerOffer Offer)>> ServersAsync(CoPrivNode node, string seed, CancellationToken cancellationToken)
    {
        var cluster = Cluster.Get(node.System);
        var joined = DateTime.UtcNow + JoinTimeout;
        var addresses = new HashSet<Address> { Address.Parse(seed) };
        while (DateTime.UtcNow < joined && !cancellationToken.IsCancellationRequested)
        {
            var state = cluster.State;
            bool selfUp = state.Members.Any(m => m.Address == cluster.SelfAddress && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp);
            var servers = state.Members.Where(m => m.HasRole(CoPrivNode.ClusterRole(PartyRole.Server)) && m.Status == MemberStatus.Up).ToArray();
            if (selfUp && servers.Length > 0)
            {
                addresses.UnionWith(servers.Select(m => m.Address));
                break;
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        var offers = await Task.WhenAll(addresses.Select(async address =>
        {
            var path = $"{address}/user/{ServerParty.Name}";
            try
            {
                var server = await node.System.ActorSelection(path).ResolveOne(AskTimeout).ConfigureAwait(false);
                return (Server: server, Offer: await server.Ask<ServerOffer>(GetServerOffer.Instance, AskTimeout).ConfigureAwait(false));
            }
            catch (Exception e) when (e is ActorNotFoundException or AskTimeoutException or TaskCanceledException)
            {
                Console.Error.WriteLine($"copriv infer: the server at {address} does not answer ({e.GetType().Name})");
                return default;
            }
        })).ConfigureAwait(false);
        return offers.Where(o => o.Server is not null)
            .OrderBy(o => o.Offer.LiveSessions / (double)Math.Max(1, o.Offer.MaxSessions)).ThenBy(o => o.Server.Path.Address.ToString())
            .ToList();
    }

    /// <summary>
    /// The plan this client asks for: what the server offers, or, when the command line names run-spec fields
    /// (--model, --protocol, --ell, --scale, --width, --ot, --weight-bits), the offer with those fields changed. A user who expects a
    /// particular model or policy is then refused by the server with the difference named, rather than silently
    /// served whatever the server offers.
    /// </summary>
    private static (SecureInferencePlan Plan, IModelSource Model) PlanToAskFor(ServerOffer offer, RunSpecSource commandLine, IActorRef server)
    {
        if (offer.Architecture is { Length: > ServerOffer.MaxArchitectureBytes } sent)
            throw new InferException($"the server at {server.Path.Address} sent an architecture of {sent.Length} bytes; an offer carries at most {ServerOffer.MaxArchitectureBytes}");
        var offered = RunSpec.FromParameters(offer.Spec);
        var asked = RunSpec.Resolve(new RunSpecSource("the server's offer")
        {
            Model = offered.Model, Protocol = offered.Protocol, RingBits = offered.RingBits, Scale = offered.Scale,
            Width = offered.Width, Ot = offered.Ot, WeightBits = offered.WeightBits,
        }, commandLine);
        try
        {
            if (asked.DifferenceFrom(offered) is null)
                return (InferenceSessionPlan.ClientPlan(offer.Spec, offer.PlanFingerprint, offer.Architecture),
                    InferenceSessionPlan.ServedArchitecture(offered, offer.Architecture));
            // Another model than the served one can only be a zoo model: the server refuses it, naming the difference.
            var model = InferenceSessionPlan.ServedArchitecture(asked, asked.Model == offered.Model ? offer.Architecture : null);
            return (SecureInferencePlan.ForModel(model.Architecture(asked.Width), asked), model);
        }
        catch (OnnxFormatException e)
        {
            throw new InferException($"the server at {server.Path.Address} sent an architecture CoPriv cannot run: {e.Message}");
        }
    }

    /// <summary>The certificate the session's data plane pins: the user's, or (trust on first use) the one the server states.</summary>
    private static CertificateFingerprint? PinFor(ServerOffer offer, HashSet<CertificateFingerprint> pinned, bool tls, IActorRef server)
    {
        if (!tls) return null;
        if (offer.CertificateFingerprint is null)
            throw new InferException($"the server at {server.Path.Address} runs without TLS; use --insecure to accept that (loopback experiments only)");
        var stated = CertificateFingerprint.Parse(offer.CertificateFingerprint);
        if (pinned.Count == 0) return stated;
        return pinned.Contains(stated) ? stated
            : throw new InferException($"the server at {server.Path.Address} states a certificate with fingerprint {stated.Abbreviated}, which is not the pinned one: no session was opened");
    }

    private static InputImage Image(Settings settings, IModelSource model, SecureInferencePlan plan, int k)
    {
        if (settings.Input is null) return InputImages.Random(plan.InputShape, settings.ImageSeed + (ulong)k);
        return InputImages.Read(settings.Input, settings.Index + k, model);
    }

    private static async Task<InferenceReport> RunAsync(CoPrivNode node, IActorRef server, SecureInferencePlan plan, InputImage image,
        Settings settings, CoPriv.Network.Tcp.TcpChannelOptions dataPlane)
    {
        var client = new ClientInference(plan, image.Image, new InferenceOptions { Seed = settings.Seed, ConcurrentOtDirections = true });
        SessionCompleted done;
        try
        {
            done = await node.Party.RunSessionAsync(server, InferenceSessionPlan.Create(client), TimeSpan.FromSeconds(settings.Timeout),
                InferenceSessionPlan.RequestParameters(plan), dataPlane: dataPlane).ConfigureAwait(false);
        }
        catch (SessionFailedException e)
        {
            throw new InferException(Describe(e.Failure, server));
        }
        return InferenceReportBuilder.SecureRun(plan, done.PeerTraffic, done.Traffic, client: client) with
        {
            PredictedClass = client.PredictedClass,
            Input = image.Source,
            Label = image.Label,
        };
    }

    // A session the server refused never had a peer actor: the server party's address names it then.
    private static string Describe(SessionFailed failure, IActorRef server) => string.Create(CultureInfo.InvariantCulture,
        $"session {failure.SessionId} with the server at {failure.Status.Peer ?? server.Path.ToString()} failed at the {failure.FailedAt.ToString().ToLowerInvariant()}{(failure.Step is null ? "" : $" in {failure.Step}")}: {failure.Reason}");

    private static void Print(Settings settings, IReadOnlyList<InferenceReport> reports, TextWriter stdout)
    {
        if (settings.Markdown is not null) File.WriteAllText(settings.Markdown, InferenceReportMarkdown.Render(reports[0]));
        if (settings.Json)
        {
            stdout.WriteLine(reports.Count == 1 ? InferenceReportJson.Serialize(reports[0])
                : "[" + string.Join(",\n", reports.Select(InferenceReportJson.Serialize)) + "]");
            stdout.Flush();
            return;
        }
        // The table for a person: the node is stopped, so the console is stdout again (and keeps its width and colours).
        Console.SetOut(stdout);
        foreach (var report in reports)
        {
            InferenceReportTable.Render(AnsiConsole.Console, report, settings.Layers);
            Console.WriteLine($"predicted class: {report.PredictedClass}");
        }
    }
}

/// <summary>A failure of `copriv infer` that is not a usage error: one line on stderr, exit code 1.</summary>
public sealed class InferException(string message) : Exception(message);
