using CoPriv.Inference.Reports;


namespace CoPriv.Sim.Reports;

/// <summary>
/// Everything one `copriv simulate` run measured: the model, the networks, and one entry per protocol and network.
/// Serialized in camelCase (<see cref="ReportJson"/>); the Markdown and the charts are rendered from it.
/// </summary>
public sealed record SimulationReport(
    string Model,
    string ModelDescription,
    string Mode,
    int RingBits,
    int Scale,
    IReadOnlyList<NetworkDescription> Networks,
    IReadOnlyList<ProtocolRunReport> Protocols,
    DateTimeOffset Started,
    double WallSeconds);

/// <summary>
/// A link the run used: its preset name (or "custom"), bandwidth (null: unlimited), round-trip time, mean jitter, loss
/// rate and the rate a TCP flow reaches under that loss (the Mathis bound; the bandwidth without loss).
/// </summary>
public sealed record NetworkDescription(string Name, double? BandwidthBitsPerSecond, double RoundTripSeconds, string Text,
    double JitterSeconds = 0, double Loss = 0, double? EffectiveBandwidthBitsPerSecond = null);

/// <summary>
/// One protocol run over one network. Bytes and rounds are both parties' (each byte counted once, by its sender),
/// without the one-time setup (<see cref="SetupBytes"/>), as the cost model and SCI count them.
/// <see cref="SimulatedSeconds"/> is the end-to-end latency including setup: simulated in virtual time, or measured in
/// real time when <see cref="Mode"/> is "emulate". <see cref="ComputeSeconds"/> is the busier party's compute (thread
/// CPU time between its channel operations, metered alike in both modes), <see cref="HandOverSeconds"/> the real time that party's actors took between its
/// steps (booked on its virtual clock; null when emulating, where it is part of the measured latency anyway), and
/// <see cref="CommunicationSeconds"/> the rest of the latency: transmission, propagation and waiting. <see cref="LowerBoundSeconds"/> is the link's floor: the Network room's bound
/// (bytes / bandwidth + flights × one-way latency) of the longest strictly sequential chain of messages in the session,
/// setup included, which carries <see cref="ChainBytes"/> in <see cref="ChainFlights"/> flights (see
/// <see cref="Links.CausalChain"/>; the meters' <see cref="Rounds"/> count per stream and exceed the flights). <see cref="Inference"/> is the engine's report of
/// the run (per layer and operator, prediction beside measurement) with its network section filled in.
/// </summary>
public sealed record ProtocolRunReport(
    string Name,
    string Network,
    string Mode,
    long TotalBytes,
    long OnlineBytes,
    long PreprocessingBytes,
    long Rounds,
    double? ComputeSeconds,
    double SimulatedSeconds,
    double? CommunicationSeconds,
    double LowerBoundSeconds,
    long ChainBytes,
    long ChainFlights,
    long SetupBytes,
    long SetupRounds,
    long PredictedBytes,
    long PredictedRounds,
    double? ServerComputeSeconds,
    double? ClientComputeSeconds,
    double? HandOverSeconds,
    double? EmulationLatenessSeconds,
    double WallSeconds,
    int? PredictedClass,
    InferenceReport Inference)
{
    /// <summary>"ahead": the session pre-processed every layer in its setup step, before the client's input; "inline": each layer as it ran.</summary>
    public string Preprocess { get; init; } = "inline";

    /// <summary>
    /// Ahead: when both parties had finished the setup step — the plan check, the base OTs and every layer's
    /// pre-processing — on the run's clock (virtual, or real when emulating); null inline.
    /// </summary>
    public double? PreprocessingSeconds { get; init; }

    /// <summary>
    /// Ahead: what the client waits from then, when its input exists, for the answer: <see cref="SimulatedSeconds"/> −
    /// <see cref="PreprocessingSeconds"/>. The client's online phase starts no earlier than both parties' pre-processing ends.
    /// </summary>
    public double? OnlineSeconds { get; init; }

    /// <summary>Ahead: bytes of secrets the server held from its pre-processing to the online phase (product shares, bit triples).</summary>
    public long? ServerPreprocessedBytes { get; init; }

    /// <summary>Ahead: the same for the client (its masks too).</summary>
    public long? ClientPreprocessedBytes { get; init; }

    /// <summary>
    /// One-way flights of the online phase on its longest dependency chain (<see cref="Links.CausalChain.OnlineFlights"/>):
    /// pre-processing and setup messages count none, flights that overlap count once.
    /// </summary>
    public long OnlineFlights { get; init; }

    /// <summary>Round trips the online phase waits for on the longest chain: <see cref="OnlineFlights"/> / 2, rounded up.</summary>
    public long OnlineRoundTrips => Simulation.RoundTrips(OnlineFlights);

    /// <summary>What each layer adds to <see cref="OnlineFlights"/> (they sum to it), in the order the layers ran.</summary>
    public IReadOnlyList<LayerRoundTrips> OnlineRoundTripsPerLayer { get; init; } = [];

    /// <summary>
    /// Where the run's virtual time went per party (compute, sending, waiting, layer starts), for the timeline chart;
    /// null for an emulated run, whose parties run in real time and keep no timeline.
    /// </summary>
    public RunTimeline? Timeline { get; init; }
}

/// <summary>A layer's share of the online phase's longest chain: its flights and those as round trips (rounded up).</summary>
public sealed record LayerRoundTrips(string Layer, long OnlineFlights)
{
    public long OnlineRoundTrips => Simulation.RoundTrips(OnlineFlights);
}
