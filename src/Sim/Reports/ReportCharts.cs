using ScottPlot;

namespace CoPriv.Sim.Reports;

/// <summary>
/// PNG charts of a report (ScottPlot, rendered off-screen): per protocol, the bytes of every layer stacked by operator
/// category and phase; and the latency of every protocol and network split into compute and communication.
/// </summary>
public static class ReportCharts
{
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>Writes the charts into <paramref name="directory"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Write(SimulationReport report, string directory)
    {
        var paths = new List<string>();
        foreach (var run in report.Protocols.DistinctBy(r => r.Name))
        {
            var path = Path.Combine(directory, $"bytes-per-layer-{run.Name}.png");
            BytesPerLayer(report.Model, run).SavePng(path, 1600, 700);
            paths.Add(path);
        }
        var latency = Path.Combine(directory, "latency.png");
        Latency(report).SavePng(latency, 900, 600);
        paths.Add(latency);
        return paths;
    }

    /// <summary>One bar per layer, one segment per (category, phase) that sent bytes, in MiB.</summary>
    public static Plot BytesPerLayer(string model, ProtocolRunReport run)
    {
        var layers = run.Inference.Layers;
        var segments = layers
            .SelectMany(l => l.Operators.Where(o => o.Measured is not null).SelectMany(o => new[]
            {
                (Key: (o.Category, Phase: "pre-processing"), Layer: l.Index, Bytes: o.Measured!.PreprocessingBytes),
                (Key: (o.Category, Phase: "online"), Layer: l.Index, Bytes: o.Measured!.OnlineBytes),
            }))
            .Where(s => s.Bytes > 0)
            .ToArray();
        var keys = segments.Select(s => s.Key).Distinct().OrderBy(k => k.Category).ThenBy(k => k.Phase).ToArray();
        var plot = new Plot();
        var bars = new List<Bar>();
        var tops = new double[layers.Count];
        for (int k = 0; k < keys.Length; k++)
        {
            var color = Palette.GetColor(k);
            foreach (var s in segments.Where(s => s.Key == keys[k]))
            {
                double mib = s.Bytes / 1048576.0;
                bars.Add(new Bar { Position = s.Layer + 1, ValueBase = tops[s.Layer], Value = tops[s.Layer] + mib, FillColor = color });
                tops[s.Layer] += mib;
            }
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"{keys[k].Category.ToString().ToLowerInvariant()} {keys[k].Phase}",
                FillColor = color,
            });
        }
        plot.Add.Bars(bars);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title($"{model}, {run.Name}: bytes per layer (total {run.TotalBytes / 1048576.0:F0} MiB)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("layer");
        plot.YLabel("MiB (both directions)");
        plot.Axes.Margins(bottom: 0, top: 0.35);
        return plot;
    }

    /// <summary>One bar per (protocol, network): compute at the bottom, communication on top, in seconds.</summary>
    public static Plot Latency(SimulationReport report)
    {
        var plot = new Plot();
        var compute = Palette.GetColor(0);
        var communication = Palette.GetColor(1);
        var total = Palette.GetColor(7);
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int i = 0; i < report.Protocols.Count; i++)
        {
            var run = report.Protocols[i];
            if (run.ComputeSeconds is { } c)
            {
                bars.Add(new Bar { Position = i, ValueBase = 0, Value = c, FillColor = compute });
                bars.Add(new Bar { Position = i, ValueBase = c, Value = run.SimulatedSeconds, FillColor = communication });
            }
            else
            {
                bars.Add(new Bar { Position = i, ValueBase = 0, Value = run.SimulatedSeconds, FillColor = total });
            }
            ticks.Add(new Tick(i, $"{run.Name}\n{run.Network}"));
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "compute", FillColor = compute });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "communication", FillColor = communication });
        if (report.Protocols.Any(r => r.ComputeSeconds is null))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "latency (not split)", FillColor = total });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title($"{report.Model}: {report.Mode}d end-to-end latency");
        plot.YLabel("seconds");
        plot.Axes.Margins(bottom: 0);
        return plot;
    }
}
