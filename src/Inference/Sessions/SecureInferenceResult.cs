using CoPriv.Inference.Parties;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Channels;

namespace CoPriv.Inference.Sessions;

/// <summary>
/// The outcome of a secure inference run in one process: the report, the class the client learnt, both parties (for
/// their retained shares and timings), their meters, and the reference run it was checked against (if any).
/// </summary>
public sealed record SecureInferenceResult(
    InferenceReport Report,
    int PredictedClass,
    ServerInference Server,
    ClientInference Client,
    TrafficMeter ServerMeter,
    TrafficMeter ClientMeter,
    FixedPointRun? Reference);
