namespace CoPriv.Inference.Reports;

/// <summary>
/// The one record every secure-inference figure is reported in, whether predicted by the cost model
/// (<see cref="Kind"/> "prediction") or measured in a run ("secure-run"), simulated or real. Top-level bytes and
/// rounds are the run's (the prediction's, for a prediction) and exclude the one-time setup, which is reported on
/// its own; every operator carries the prediction beside its measurement. Serialized with System.Text.Json in
/// camelCase (<see cref="InferenceReportJson"/>); optional sections are null when they do not apply.
/// </summary>
public sealed record InferenceReport
{
    public const string PredictionKind = "prediction";
    public const string SecureRunKind = "secure-run";

    public required string Kind { get; init; }
    public required string Model { get; init; }
    public required string Protocol { get; init; }

    /// <summary>The OT backend the plan's OTs run over ("iknp" or "ferret").</summary>
    public string Ot { get; init; } = "iknp";

    public required int RingBits { get; init; }
    public required int Scale { get; init; }

    public long TotalBytes => Traffic.TotalBytes;
    public long PreprocessingBytes => Traffic.PreprocessingBytes;
    public long OnlineBytes => Traffic.OnlineBytes;
    public long Rounds => Traffic.Rounds;

    /// <summary>The run's traffic per direction and phase (the prediction, for a prediction).</summary>
    public required TrafficFigures Traffic { get; init; }

    /// <summary>The cost model's prediction of the same (the sum of the protocols' cost functions).</summary>
    public required TrafficFigures Predicted { get; init; }

    /// <summary>True when measured and predicted traffic agree exactly, operator by operator (null for a prediction).</summary>
    public bool? PredictionExact { get; init; }

    /// <summary>One-time setup (plan check, the OT backend's setup and, for Ferret, its COT batches), both parties.</summary>
    public required long SetupBytes { get; init; }
    public required long SetupRounds { get; init; }

    /// <summary>When the run pre-processed: "ahead" (all of it in the setup step) or "inline" (each layer as it ran).</summary>
    public string Preprocess { get; init; } = "inline";

    /// <summary>
    /// Ahead: wall time of the pre-processing of every layer inside the setup step (the base OTs are
    /// <see cref="SetupSeconds"/>), the slower party's; null inline, where it is part of each layer's time.
    /// </summary>
    public double? PreprocessingSeconds { get; init; }

    /// <summary>Ahead: bytes of secrets the server held between its pre-processing and the online phase (masks' products, triples).</summary>
    public long? ServerPreprocessedBytes { get; init; }

    /// <summary>Ahead: the same for the client (its masks too).</summary>
    public long? ClientPreprocessedBytes { get; init; }

    /// <summary>Wall time of the layers (setup excluded; ahead, that is the online phase), the slower party's.</summary>
    public double? Seconds { get; init; }
    public double? SetupSeconds { get; init; }

    /// <summary>Ahead: the online phase's wall time (<see cref="Seconds"/>, named as the simulator names it); null inline.</summary>
    public double? OnlineSeconds => Preprocess == "ahead" ? Seconds : null;

    /// <summary>
    /// The session from its first step to the prediction: setup, then (ahead) the pre-processing, then the layers; each
    /// is the slower party's, so this can exceed the session's wall time by the gap between the parties.
    /// </summary>
    public double? EndToEndSeconds => Seconds is { } layers ? (SetupSeconds ?? 0) + (PreprocessingSeconds ?? 0) + layers : null;
    public double? ServerSeconds { get; init; }
    public double? ClientSeconds { get; init; }

    /// <summary>Peak working set of the process that ran the party or parties.</summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>Where the client's image came from (a file and index, or a seeded random image).</summary>
    public string? Input { get; init; }

    /// <summary>The image's label, when the input file carries one.</summary>
    public int? Label { get; init; }

    public int? PredictedClass { get; init; }
    public int? ReferenceClass { get; init; }

    /// <summary>Whether the reconstructed outputs equal the fixed-point reference executor's bit for bit.</summary>
    public bool? MatchesReference { get; init; }

    public required IReadOnlyList<CategoryTraffic> Categories { get; init; }
    public required IReadOnlyList<LayerReport> Layers { get; init; }

    /// <summary>Prediction differing from measurement by ≥ 1 %, traffic outside the plan's scopes, a reference mismatch.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    public NetworkSection? Network { get; init; }
}
