namespace CoPriv.Inference.Reports;

/// <summary>
/// One operator of one layer in a report: what ran, the cost model's prediction and (for a run) the measured traffic
/// and each party's wall time in it.
/// </summary>
public sealed record OperatorReport(
    string Name,
    string Kind,
    OperatorCategory Category,
    string Protocol,
    string OutputShape,
    TrafficFigures Predicted,
    TrafficFigures? Measured,
    double? ServerSeconds,
    double? ClientSeconds);
