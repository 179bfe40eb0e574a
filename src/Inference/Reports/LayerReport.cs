namespace CoPriv.Inference.Reports;

/// <summary>One layer of a report: its operators and their sums.</summary>
public sealed record LayerReport(int Index, string Name, string Node, IReadOnlyList<OperatorReport> Operators)
{
    public TrafficFigures Predicted => Operators.Aggregate(TrafficFigures.Zero, (sum, o) => sum + o.Predicted);

    public TrafficFigures? Measured => Operators.Any(o => o.Measured is null)
        ? null
        : Operators.Aggregate(TrafficFigures.Zero, (sum, o) => sum + o.Measured!);

    public double? ServerSeconds => Operators.Any(o => o.ServerSeconds is null) ? null : Operators.Sum(o => o.ServerSeconds!.Value);
    public double? ClientSeconds => Operators.Any(o => o.ClientSeconds is null) ? null : Operators.Sum(o => o.ClientSeconds!.Value);
}
