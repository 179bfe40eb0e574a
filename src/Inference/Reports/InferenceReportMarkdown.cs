using System.Globalization;
using System.Text;

namespace CoPriv.Inference.Reports;

/// <summary>Renders an <see cref="InferenceReport"/> as Markdown: summary, split by operator category, and every layer.</summary>
public static class InferenceReportMarkdown
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(InferenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        bool run = report.Kind == InferenceReport.SecureRunKind;
        var md = new StringBuilder();
        md.AppendLine($"# {(run ? "Secure inference" : "Cost prediction")}: {report.Model}, {report.Protocol} over {report.Ot} OT (ℓ = {report.RingBits}, s = {report.Scale})");
        md.AppendLine();
        md.AppendLine("| quantity | value |");
        md.AppendLine("|---|---|");
        Row(md, "total bytes", Bytes(report.TotalBytes));
        Row(md, "pre-processing bytes", Bytes(report.PreprocessingBytes));
        Row(md, "online bytes", Bytes(report.OnlineBytes));
        Row(md, "server → client / client → server", $"{Bytes(report.Traffic.ServerToClientBytes)} / {Bytes(report.Traffic.ClientToServerBytes)}");
        Row(md, "rounds", report.Rounds.ToString("N0", Invariant));
        if (run) Row(md, "cost model", $"{Bytes(report.Predicted.TotalBytes)}, {report.Predicted.Rounds:N0} rounds" +
                                       (report.PredictionExact == true ? " (exact)" : ""));
        Row(md, "setup (plan check, OT setup and batches)", $"{Bytes(report.SetupBytes)}, {report.SetupRounds} rounds");
        Row(md, "pre-processing", report.Preprocess == "ahead" ? "ahead (every layer's, in the setup step)" : "inline (each layer as it runs)");
        if (report.PreprocessingSeconds is { } pre) Row(md, "pre-processing seconds (ahead)", pre.ToString("0.000", Invariant));
        if (report.ServerPreprocessedBytes is { } sh && report.ClientPreprocessedBytes is { } ch)
            Row(md, "held between pre-processing and online", $"server {Bytes(sh)}, client {Bytes(ch)}");
        if (report.Seconds is { } seconds)
            Row(md, report.Preprocess == "ahead" ? "online seconds" : "seconds (setup excluded)", seconds.ToString("0.000", Invariant));
        if (report.SetupSeconds is { } setup) Row(md, "setup seconds", setup.ToString("0.000", Invariant));
        if (report.EndToEndSeconds is { } endToEnd) Row(md, "end-to-end seconds", endToEnd.ToString("0.000", Invariant));
        if (report.PeakMemoryBytes is { } peak) Row(md, "peak memory", Bytes(peak));
        if (report.PredictedClass is { } cls) Row(md, "predicted class", cls.ToString(Invariant));
        if (report.MatchesReference is { } matches) Row(md, "matches the reference executor", matches ? "yes, bit for bit" : "**NO**");
        if (report.Network is { } network)
        {
            Row(md, "network", network.Mode + (network.Link is null ? "" : $" ({network.Link})"));
            if (network.LatencySeconds is { } latency) Row(md, "latency under the link", $"{latency.ToString("0.000", Invariant)} s");
        }
        md.AppendLine();

        md.AppendLine("## Split by operator");
        md.AppendLine();
        md.AppendLine("| category | bytes | pre-processing | online | share |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var c in report.Categories)
            md.AppendLine($"| {c.Category} | {Bytes(c.TotalBytes)} | {Bytes(c.PreprocessingBytes)} | {Bytes(c.OnlineBytes)} | {(100 * c.Fraction).ToString("0.00", Invariant)} % |");
        md.AppendLine();

        if (report.Warnings.Count > 0)
        {
            md.AppendLine("## Warnings");
            md.AppendLine();
            foreach (var w in report.Warnings) md.AppendLine($"- {w}");
            md.AppendLine();
        }

        md.AppendLine("## Layers");
        md.AppendLine();
        md.AppendLine(run
            ? "| layer | operator | protocol | pre-processing | online | rounds | predicted | server s | client s |"
            : "| layer | operator | protocol | pre-processing | online | rounds |");
        md.AppendLine(run ? "|---|---|---|---:|---:|---:|---:|---:|---:|" : "|---|---|---|---:|---:|---:|");
        foreach (var layer in report.Layers)
            foreach (var op in layer.Operators)
            {
                var figures = op.Measured ?? op.Predicted;
                md.Append($"| {layer.Name} | {op.Name} | {op.Protocol} | {Bytes(figures.PreprocessingBytes)} | {Bytes(figures.OnlineBytes)} | {figures.Rounds} |");
                if (run)
                    md.Append($" {(op.Measured == op.Predicted ? "=" : Bytes(op.Predicted.TotalBytes))} | {Seconds(op.ServerSeconds)} | {Seconds(op.ClientSeconds)} |");
                md.AppendLine();
            }
        return md.ToString();
    }

    /// <summary>Bytes with MiB beside them once they are large.</summary>
    public static string Bytes(long bytes) => bytes < 1 << 20
        ? bytes.ToString("N0", Invariant) + " B"
        : $"{bytes.ToString("N0", Invariant)} B ({(bytes / (double)(1 << 20)).ToString("0.00", Invariant)} MiB)";

    private static string Seconds(double? s) => s is { } v ? v.ToString("0.000", Invariant) : "";

    private static void Row(StringBuilder md, string name, string value) => md.AppendLine($"| {name} | {value} |");
}
