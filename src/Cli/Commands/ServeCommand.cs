using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using CoPriv.Actors.Channel;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Lowering;
using CoPriv.Models.Sources;
using CoPriv.Models.Zoo;
using CoPriv.Network.Tcp;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;
using CoPriv.Sim.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv serve`: a long-running server node. It holds the model's weights, plans it once under the run spec, joins
/// (or seeds) the cluster with the role <c>server</c>, and serves client sessions — each over its own TLS data-plane
/// connection — until Ctrl-C or SIGTERM, when running sessions finish (or fail with a clear reason after
/// copriv.server.drain-timeout) and the node leaves the cluster. One log line per session.
/// </summary>
public sealed class ServeCommand : AsyncCommand<ServeCommand.Settings>
{
    /// <summary>The Akka.Remote port a server listens on when none is given.</summary>
    public const int DefaultPort = 4053;

    public sealed class Settings : NodeSettings
    {
        [CommandOption("--seed-nodes <ADDRESSES>")]
        [Description("Comma-separated HOST:PORT of servers already in the cluster (env COPRIV_SEED_NODES); none: this server seeds it.")]
        public string? SeedNodes { get; init; }

        [CommandOption("--max-sessions <N>")]
        [Description("Sessions run at once; more clients are refused as \"server busy\" (default copriv.session.max-sessions).")]
        public int? MaxSessions { get; init; }

        [CommandOption("--state-dir <DIR>")]
        [Description("Where the server keeps its TLS certificate (env COPRIV_STATE_DIR; default copriv.server.state-dir, else ~/.copriv/server).")]
        public string? StateDir { get; init; }

        [CommandOption("--print-fingerprint")]
        [Description("Print the SHA-256 fingerprint of the server's certificate (creating it if need be) and exit.")]
        public bool PrintFingerprint { get; init; }

        [CommandOption("--transport <NAME>")]
        [Description("How protocol bytes travel: tcp (a direct connection per session) or akka (chunks over Akka.Remote); default copriv.network.data-plane.transport.")]
        public string? Transport { get; init; }

        public override ValidationResult Validate() =>
            MaxSessions is < 1 ? ValidationResult.Error($"--max-sessions must be at least 1, got {MaxSessions}") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = CoPrivConfig.Load(settings.Config ?? CoPrivConfig.DefaultDirectory(), "server", cluster: true);
        if (settings.MaxSessions is { } max) config = ConfigurationFactory.ParseString($"copriv.session.max-sessions = {max}").WithFallback(config);
        using var certificate = settings.Insecure ? null : DataPlaneCertificate.LoadOrCreate(StateDirectory(settings, config));
        if (settings.PrintFingerprint)
        {
            Console.WriteLine(certificate?.Fingerprint.Hex ?? throw new ArgumentException("--print-fingerprint has no certificate to print with --insecure"));
            return 0;
        }
        settings.WarnIfSeeded();

        var spec = settings.ResolveSpec(config);
        var (host, port) = settings.ListenAddress($"127.0.0.1:{DefaultPort}");
        var served = Serve(spec, settings.Seed, certificate?.Fingerprint.Hex);
        var inspector = InspectOption.Resolve(settings.Inspect, config);
        var transport = (settings.Transport ?? config.GetString("copriv.network.data-plane.transport", "tcp")).Trim().ToLowerInvariant();
        using var listener = transport switch
        {
            "tcp" => StartDataPlane(config, host, port, certificate),
            "akka" => null,
            _ => throw new ArgumentException($"unknown transport '{transport}'; known transports: tcp, akka"),
        };
        string publicHost = settings.PublicHostname ?? host;
        var seeds = (settings.SeedNodes ?? NodeSettings.Env("COPRIV_SEED_NODES"))?
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s =>
            {
                var (seedHost, seedPort) = NodeSettings.ParseHostPort(s, "--seed-nodes");
                return CoPrivNode.NodeAddress($"{seedHost}:{seedPort}", certificate is not null);
            })
            .ToArray() ?? [];

        await using var node = await CoPrivNode.StartAsync(new CoPrivNodeOptions
        {
            Role = PartyRole.Server,
            Hostname = host,
            Port = port,
            PublicHostname = settings.PublicHostname,
            SeedNodes = seeds,
            Hocon = config,
            LogLevel = settings.LogLevelOr(Akka.Event.LogLevel.InfoLevel),
            Certificate = certificate?.Certificate,
            ServerPlanner = served.Planner,
            ServerOffer = served.Offer,
            DataPlane = listener is null ? null : new ServerDataPlane(listener, publicHost, certificate is not null),
            Inspector = inspector,
        }, cancellationToken).ConfigureAwait(false);
        InspectOption.Announce("copriv serve", node.InspectorEndpoint, inspector);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"copriv serve: {spec}; plan {served.Offer.PlanFingerprint[..16]}…, {served.Offer.PredictedBytes / (double)(1 << 20):0.0} MiB per inference"));
        Console.WriteLine($"copriv serve: cluster node {node.Address} (Akka.Remote{(certificate is null ? ", plaintext" : ", TLS")}), role server, up to {config.GetInt("copriv.session.max-sessions", 4)} sessions");
        Console.WriteLine(listener is null
            ? "copriv serve: data plane over Akka.Remote (copriv.network.data-plane.transport = akka)"
            : $"copriv serve: data plane {publicHost}:{listener.LocalEndPoint.Port} ({(certificate is null ? "plaintext" : "TLS 1.3")})");
        if (certificate is not null) Console.WriteLine($"copriv serve: certificate SHA-256 {certificate.Fingerprint.Hex} (clients pin it with --server-fingerprint)");
        Console.Out.Flush();
        await node.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        Console.WriteLine("copriv serve: stopped");
        return 0;
    }

    /// <summary>The model planned once under the spec: the planner every session's request is checked against, and the offer.</summary>
    private static (SessionPlanner Planner, ServerOffer Offer) Serve(RunSpec spec, ulong? seed, string? certificateFingerprint)
    {
        var source = ModelSources.Resolve(spec.Model);
        var model = source.Create(new ZooOptions(WidthMultiplier: spec.Width));
        // A client rebuilds a zoo model from its name; a model file's architecture (never its weights) goes in the offer.
        byte[]? architecture = source is OnnxModel file ? file.ArchitectureBytes() : null;
        if (architecture is { Length: > ServerOffer.MaxArchitectureBytes })
            throw new ArgumentException($"the architecture of '{spec.Model}' takes {architecture.Length} bytes without its weights; a server offer carries at most {ServerOffer.MaxArchitectureBytes}");
        // Clients see the spec: a model file is offered by its file name, not by where it lies on the server.
        if (architecture is not null) spec = spec.WithModel(Path.GetFileName(spec.Model));
        var policy = spec.Policy();
        var program = InferenceSettings.Planned(() => FixedPointLowering.Lower(model, policy.FixedPoint));
        var plan = InferenceSettings.Planned(() => SecureInferencePlan.Create(program, policy, spec));
        var options = new InferenceOptions { Seed = seed, ConcurrentOtDirections = true };
        SessionPlanner planner = request =>
            InferenceSessionPlan.Create(new ServerInference(InferenceSessionPlan.CheckRequest(plan, request.Parameters), program, options));
        var offer = new ServerOffer(spec.ToParameters(), Convert.ToHexStringLower(plan.Fingerprint.ToArray()),
            plan.PredictedCost.TotalBytes, certificateFingerprint, 0, 0, architecture);
        return (planner, offer);
    }

    private static DataPlaneListener StartDataPlane(Config config, string host, int akkaPort, DataPlaneCertificate? certificate)
    {
        var section = config.GetConfig("copriv.network.data-plane");
        int port = section.GetInt("port", 0) is var configured and > 0 ? configured : akkaPort == 0 ? 0 : akkaPort + 1;
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0];
        var options = DataPlaneOptions(section) with { Certificate = certificate, Insecure = certificate is null };
        try
        {
            return DataPlaneListener.Start(new IPEndPoint(address, port), PartyRole.Server, options,
                reason => Console.Error.WriteLine($"copriv serve: data-plane connection refused: {reason}"));
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot listen on {host}:{port} for the data plane: {e.Message} (it takes the --listen port + 1 " +
                                  "unless copriv.network.data-plane.port names another)", e);
        }
    }

    /// <summary>The data plane's limits and timeouts from <c>copriv.network.data-plane</c>.</summary>
    internal static TcpChannelOptions DataPlaneOptions(Config? section)
    {
        section ??= Config.Empty;
        var defaults = TcpChannelOptions.Default;
        return defaults with
        {
            MaxMessageBytes = section.GetByteSize("max-message-bytes", null) ?? defaults.MaxMessageBytes,
            MaxUnreadBytes = section.GetByteSize("max-unread-bytes", null) ?? defaults.MaxUnreadBytes,
            HandshakeTimeout = section.GetTimeSpan("handshake-timeout", defaults.HandshakeTimeout),
            IdleTimeout = section.GetTimeSpan("idle-timeout", defaults.IdleTimeout),
            ExpectTimeout = section.GetTimeSpan("expect-timeout", defaults.ExpectTimeout),
        };
    }

    private static string StateDirectory(Settings settings, Config config) =>
        settings.StateDir ?? NodeSettings.Env("COPRIV_STATE_DIR")
        ?? (config.GetString("copriv.server.state-dir", "") is { Length: > 0 } configured ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".copriv", "server"));
}
