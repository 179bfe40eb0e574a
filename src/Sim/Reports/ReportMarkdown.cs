using System.Globalization;
using System.Text;

namespace CoPriv.Sim.Reports;

/// <summary>A <see cref="SimulationReport"/> as Markdown: the summary per protocol and network, then bytes per category and per layer.</summary>
public static class ReportMarkdown
{
    public static string Render(SimulationReport report, IReadOnlyList<string>? charts = null)
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant($"# {report.Model}: secure inference, {report.Mode}d"));
        md.AppendLine();
        md.AppendLine(report.ModelDescription);
        md.AppendLine();
        md.AppendLine(Invariant($"Ring ℓ = {report.RingBits}, scale s = {report.Scale}; started {report.Started:yyyy-MM-dd HH:mm:ss zzz}, {report.WallSeconds:F1} s of wall time."));
        md.AppendLine();
        foreach (var network in report.Networks) md.AppendLine($"- network {network.Text}");
        md.AppendLine();
        md.AppendLine("Bytes and rounds are both parties', without the one-time setup (base OTs). Compute is the busier party's thread CPU time; " +
                      "communication is the rest of the latency; the lower bound is all bytes over the bandwidth plus one one-way latency per round. " +
                      "With pre-processing ahead, the latency splits where both parties have pre-processed: online s is what a client waits once its input exists.");
        md.AppendLine();
        md.AppendLine("| protocol | network | total MiB | online MiB | pre-processing MiB | rounds | online round trips | predicted MiB | compute s | communication s | latency s | lower bound s | setup KiB | wall s | pre-processing s | online s |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in report.Protocols)
            md.AppendLine(Invariant(
                $"| {r.Name} | {r.Network} | {MiB(r.TotalBytes)} | {MiB(r.OnlineBytes)} | {MiB(r.PreprocessingBytes)} | {r.Rounds:N0} | {r.OnlineRoundTrips:N0} | {MiB(r.PredictedBytes)} | {S(r.ComputeSeconds)} | {S(r.CommunicationSeconds)} | {r.SimulatedSeconds:F3} | {r.LowerBoundSeconds:F3} | {r.SetupBytes / 1024.0:F1} | {r.WallSeconds:F1} | {S(r.PreprocessingSeconds)} | {S(r.OnlineSeconds)} |"));
        md.AppendLine();
        Timelines(md, report, charts);

        foreach (var run in report.Protocols.DistinctBy(r => r.Name))
        {
            var inference = run.Inference;
            md.AppendLine($"## {run.Name}: bytes per category");
            md.AppendLine();
            md.AppendLine("| category | MiB | share |");
            md.AppendLine("|---|--:|--:|");
            foreach (var c in inference.Categories)
                md.AppendLine(Invariant($"| {c.Category.ToString().ToLowerInvariant()} | {MiB(c.TotalBytes)} | {100 * c.Fraction:F1} % |"));
            md.AppendLine();
            md.AppendLine($"## {run.Name}: per layer");
            md.AppendLine();
            md.AppendLine("| layer | operators | pre-processing MiB | online MiB | rounds | online round trips | predicted MiB |");
            md.AppendLine("|---|---|--:|--:|--:|--:|--:|");
            var roundTrips = run.OnlineRoundTripsPerLayer.ToDictionary(l => l.Layer, l => l.OnlineRoundTrips);
            foreach (var layer in inference.Layers)
            {
                var measured = layer.Measured;
                string trips = roundTrips.TryGetValue(layer.Name, out long t) ? t.ToString(CultureInfo.InvariantCulture) : "-";
                md.AppendLine(Invariant(
                    $"| {layer.Name} | {string.Join(", ", layer.Operators.Select(o => o.Name))} | {MiB(measured?.PreprocessingBytes)} | {MiB(measured?.OnlineBytes)} | {measured?.Rounds} | {trips} | {MiB(layer.Predicted.TotalBytes)} |"));
            }
            md.AppendLine();
            if (inference.Warnings.Count > 0)
            {
                md.AppendLine("Warnings:");
                foreach (var w in inference.Warnings) md.AppendLine($"- {w}");
                md.AppendLine();
            }
        }
        if (charts is { Count: > 0 })
        {
            md.AppendLine("## Charts");
            md.AppendLine();
            foreach (var chart in charts) md.AppendLine($"![{Path.GetFileNameWithoutExtension(chart)}]({Path.GetFileName(chart)})");
        }
        return md.ToString();
    }

    /// <summary>A line per simulated run: its timeline chart and each party's seconds of compute, sending and waiting.</summary>
    private static void Timelines(StringBuilder md, SimulationReport report, IReadOnlyList<string>? charts)
    {
        var runs = report.Protocols.Where(r => r.Timeline is not null).ToArray();
        if (runs.Length == 0) return;
        var written = (charts ?? []).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        md.AppendLine("Timelines in virtual time: per party, the seconds in which at least one of its flows computed, its messages " +
                      "occupied its direction of the link (sending), or a flow waited for the peer's message (waiting); a party can do " +
                      "several at once.");
        md.AppendLine();
        foreach (var run in runs)
        {
            var timeline = run.Timeline!;
            string chart = ReportCharts.TimelineFileName(run);
            string name = written.Contains(chart) ? $"[{run.Name} over {run.Network}]({chart})" : $"{run.Name} over {run.Network}";
            string parties = string.Join("; ", timeline.Parties.Select(p => Invariant(
                $"{p.Role} compute {p.ComputeSeconds:F3} s, sending {p.SendingSeconds:F3} s, waiting {p.WaitingSeconds:F3} s")));
            string resolution = timeline.ResolutionSeconds > 0
                ? Invariant($" (gaps up to {timeline.ResolutionSeconds * 1e3:0.###} ms within a row filled)")
                : "";
            md.AppendLine(Invariant($"- {name}, {run.SimulatedSeconds:F3} s: {parties}{resolution}"));
        }
        md.AppendLine();
    }

    private static string MiB(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string S(double? seconds) => seconds is { } s ? s.ToString("F3", CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
