namespace CoPriv.Inference.Reports;

/// <summary>The traffic of one operator category and its fraction of the total.</summary>
public sealed record CategoryTraffic(OperatorCategory Category, long TotalBytes, long PreprocessingBytes, long OnlineBytes, double Fraction);
