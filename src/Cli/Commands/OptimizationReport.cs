using System.Text.Json;
using System.Text.Json.Serialization;
using ScottPlot;
using Spectre.Console;

namespace CoPriv.Cli.Commands;

/// <summary>What `copriv optimize` reports: per block, per protocol, accuracy, training throughput; its JSON is the --json output.</summary>
public sealed record OptimizationReport
{
    public required string Model { get; init; }
    public required string Method { get; init; }
    public required string Protocol { get; init; }
    public required double Keep { get; init; }
    public required string Out { get; init; }

    /// <summary>"cifar" (labelled files, accuracy on held-out images) or "generated" (distillation, teacher agreement).</summary>
    public required string DataSource { get; init; }
    public required string Data { get; init; }

    /// <summary>"held-out accuracy" or "teacher agreement" (generated data have no labels).</summary>
    public required string AccuracyKind { get; init; }
    public required double AccuracyBefore { get; init; }
    public required double AccuracyAfter { get; init; }
    public required long ReluCountBefore { get; init; }
    public required long ReluCountAfter { get; init; }
    public required int Epochs { get; init; }
    public required double ImagesPerSecond { get; init; }
    public required double Seconds { get; init; }

    /// <summary>The gated blocks (copriv) with the chosen protocol's cost; empty for SNL, which gates channels.</summary>
    public required IReadOnlyList<BlockReport> Blocks { get; init; }

    /// <summary>SNL's kept channels per activation node; empty for copriv.</summary>
    public IReadOnlyList<SnlNodeReport> Nodes { get; init; } = [];

    /// <summary>The result against the unoptimized network, under cryptflow2 and copriv.</summary>
    public required IReadOnlyList<ProtocolComparison> Communication { get; init; }

    /// <summary>With --sweep: one point per keep fraction.</summary>
    public IReadOnlyList<SweepPoint>? Sweep { get; init; }

    public string? SweepChart { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void Render(IAnsiConsole console)
    {
        console.MarkupLine($"[bold]{Markup.Escape(Model)}[/] optimized by {Method} (keep {Keep:0.###}), written to {Markup.Escape(Out)}");
        console.MarkupLine($"data: {Markup.Escape(Data)}");
        console.MarkupLine($"{AccuracyKind}: {AccuracyBefore:P1} before, {AccuracyAfter:P1} after; ReLUs {ReluCountBefore:N0} → {ReluCountAfter:N0}; " +
                           $"{ImagesPerSecond:F1} training images/s, {Seconds:F0} s in all");
        if (Blocks.Count > 0)
        {
            var blocks = new Table().AddColumns("block", "kind", "removed", "merged", "α", "pre before", "online before", "pre after", "online after", "saved");
            foreach (var b in Blocks)
                blocks.AddRow(b.Id, b.Kind, b.Removed ? "yes" : "", b.Merged ? "yes" : "", b.Alpha.ToString("F4"),
                    Mb(b.PreprocessingBytesBefore), Mb(b.OnlineBytesBefore), Mb(b.PreprocessingBytesAfter), Mb(b.OnlineBytesAfter), Mb(b.SavedBytes));
            blocks.Caption($"per block under {Protocol}, MB; after = the block without its activations (merged where it can be); saved = what the whole network saves");
            console.Write(blocks);
        }
        var table = new Table().AddColumns("protocol", "total before", "total after", "×", "online before", "online after", "×");
        foreach (var c in Communication)
            table.AddRow(c.Protocol, Mb(c.Unoptimized.TotalBytes), Mb(c.Optimized.TotalBytes), c.TotalReduction.ToString("F2"),
                Mb(c.Unoptimized.OnlineBytes), Mb(c.Optimized.OnlineBytes), c.OnlineReduction.ToString("F2"));
        table.Caption("whole network, MB (cost model)");
        console.Write(table);
        if (Sweep is { Count: > 0 })
        {
            var sweep = new Table().AddColumns("keep", "total MB", "online MB", "ReLUs", AccuracyKind);
            foreach (var p in Sweep)
                sweep.AddRow(p.Keep.ToString("0.##"), Mb(p.TotalBytes), Mb(p.OnlineBytes), p.ReluCount.ToString("N0"), p.Accuracy.ToString("P1"));
            if (SweepChart is not null) sweep.Caption($"chart: {SweepChart}");
            console.Write(sweep);
        }
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F1");

    /// <summary>Total communication (GB) against accuracy, one point per keep fraction, labelled with it.</summary>
    public static void WriteSweepChart(string model, string method, string protocol, string accuracyKind, IReadOnlyList<SweepPoint> points, string path)
    {
        var plot = new Plot();
        var xs = points.Select(p => p.TotalBytes / 1e9).ToArray();
        var ys = points.Select(p => p.Accuracy * 100).ToArray();
        var total = plot.Add.Scatter(xs, ys);
        total.LegendText = "total";
        var online = plot.Add.Scatter(points.Select(p => p.OnlineBytes / 1e9).ToArray(), ys);
        online.LegendText = "online";
        foreach (var p in points)
            plot.Add.Text($"keep {p.Keep:0.##}", p.TotalBytes / 1e9, p.Accuracy * 100);
        plot.Title($"{model}: {method} optimization under {protocol}");
        plot.XLabel("communication per inference (GB)");
        plot.YLabel($"{accuracyKind} (%)");
        plot.ShowLegend();
        plot.SavePng(path, 900, 600);
    }
}

public sealed record BlockReport(
    string Id, string Kind, bool Removed, bool Merged, double Alpha,
    long PreprocessingBytesBefore, long OnlineBytesBefore, long PreprocessingBytesAfter, long OnlineBytesAfter, long SavedBytes);

public sealed record SnlNodeReport(string Node, int Channels, int KeptChannels, long ReluCount);

public sealed record NetworkCost(long TotalBytes, long PreprocessingBytes, long OnlineBytes);

public sealed record ProtocolComparison(string Protocol, NetworkCost Unoptimized, NetworkCost Optimized)
{
    public double TotalReduction => (double)Unoptimized.TotalBytes / Optimized.TotalBytes;
    public double OnlineReduction => (double)Unoptimized.OnlineBytes / Optimized.OnlineBytes;
}

public sealed record SweepPoint(double Keep, long TotalBytes, long OnlineBytes, long ReluCount, double Accuracy);
