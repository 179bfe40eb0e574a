using System.Globalization;
using CoPriv.Inference.Reports;
using Spectre.Console;

namespace CoPriv.Cli.Commands;

/// <summary>The console form of an <see cref="InferenceReport"/> (`copriv run` and `copriv cost`): summary, split, layers.</summary>
internal static class InferenceReportTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Render(IAnsiConsole console, InferenceReport report, bool layers)
    {
        bool run = report.Kind == InferenceReport.SecureRunKind;
        console.MarkupLine(Markup.Escape(
            $"{(run ? "secure inference" : "cost prediction")}: {report.Model}, {report.Protocol} over {report.Ot} OT (ℓ = {report.RingBits}, s = {report.Scale})"));
        var summary = new Table().AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, string value) => summary.AddRow(Markup.Escape(name), value);
        Row("total bytes", Bytes(report.TotalBytes));
        Row("pre-processing bytes", Bytes(report.PreprocessingBytes));
        Row("online bytes", Bytes(report.OnlineBytes));
        Row("server → client", Bytes(report.Traffic.ServerToClientBytes));
        Row("client → server", Bytes(report.Traffic.ClientToServerBytes));
        Row("rounds", report.Rounds.ToString("N0", Invariant));
        if (run)
            Row("cost model", report.PredictionExact == true ? "[green]exact[/]"
                : $"[yellow]{Bytes(report.Predicted.TotalBytes)}, {report.Predicted.Rounds:N0} rounds[/]");
        Row("setup (plan check, OT setup and batches)", $"{Bytes(report.SetupBytes)}, {report.SetupRounds} rounds");
        bool ahead = report.Preprocess == "ahead";
        Row("pre-processing", ahead ? "ahead (every layer's, in the setup step)" : "inline (each layer as it runs)");
        if (report.PreprocessingSeconds is { } pre) Row("pre-processing seconds", pre.ToString("0.000", Invariant));
        if (report.ServerPreprocessedBytes is { } sh && report.ClientPreprocessedBytes is { } ch)
            Row("held between pre-processing and online", $"server {Bytes(sh)}, client {Bytes(ch)}");
        if (report.Seconds is { } seconds) Row(ahead ? "online seconds" : "seconds (setup excluded)", seconds.ToString("0.000", Invariant));
        if (report.SetupSeconds is { } setup) Row("setup seconds", setup.ToString("0.000", Invariant));
        if (report.EndToEndSeconds is { } endToEnd) Row("end-to-end seconds", endToEnd.ToString("0.000", Invariant));
        if (report.PeakMemoryBytes is { } peak) Row("peak memory (process)", Bytes(peak));
        if (report.Input is { } input) Row("input", Markup.Escape(input));
        if (report.Label is { } label) Row("label", label.ToString(Invariant));
        if (report.PredictedClass is { } cls) Row("predicted class", cls.ToString(Invariant));
        if (report.MatchesReference is { } matches) Row("matches the reference executor", matches ? "[green]yes, bit for bit[/]" : "[red]NO[/]");
        console.Write(summary);

        var split = new Table().AddColumn("operator").AddColumn(new TableColumn("bytes").RightAligned())
            .AddColumn(new TableColumn("pre-processing").RightAligned()).AddColumn(new TableColumn("online").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned());
        foreach (var c in report.Categories)
            split.AddRow(c.Category.ToString(), Bytes(c.TotalBytes), Bytes(c.PreprocessingBytes), Bytes(c.OnlineBytes),
                (100 * c.Fraction).ToString("0.00", Invariant) + " %");
        console.Write(split);

        if (layers)
        {
            var table = new Table().AddColumn("layer").AddColumn("operator").AddColumn("protocol")
                .AddColumn(new TableColumn("pre-processing").RightAligned()).AddColumn(new TableColumn("online").RightAligned())
                .AddColumn(new TableColumn("rounds").RightAligned());
            if (run) table.AddColumn(new TableColumn("model").Centered()).AddColumn(new TableColumn("server s").RightAligned())
                .AddColumn(new TableColumn("client s").RightAligned());
            foreach (var layer in report.Layers)
                foreach (var op in layer.Operators)
                {
                    var figures = op.Measured ?? op.Predicted;
                    var cells = new List<string>
                    {
                        Markup.Escape(layer.Name), Markup.Escape(op.Name), Markup.Escape(op.Protocol),
                        Bytes(figures.PreprocessingBytes), Bytes(figures.OnlineBytes), figures.Rounds.ToString("N0", Invariant),
                    };
                    if (run)
                        cells.AddRange([op.Measured == op.Predicted ? "[green]=[/]" : $"[yellow]{Bytes(op.Predicted.TotalBytes)}[/]",
                            Seconds(op.ServerSeconds), Seconds(op.ClientSeconds)]);
                    table.AddRow(cells.ToArray());
                }
            console.Write(table);
        }
        foreach (var warning in report.Warnings) console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
    }

    private static string Bytes(long bytes) => bytes < 1 << 20
        ? bytes.ToString("N0", Invariant) + " B"
        : (bytes / (double)(1 << 20)).ToString("N2", Invariant) + " MiB";

    private static string Seconds(double? s) => s is { } v ? v.ToString("0.000", Invariant) : "";
}
