using ScottPlot;

namespace CoPriv.Sim.Reports;

/// <summary>
/// PNG charts of a report (ScottPlot, rendered off-screen): per protocol, the bytes of every layer stacked by operator
/// category and phase; the latency of every protocol and network split into compute and communication; and per
/// simulated run, a timeline of what each party did when.
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
        foreach (var run in report.Protocols.Where(r => r.Timeline is not null))
        {
            var path = Path.Combine(directory, TimelineFileName(run));
            Timeline(report.Model, run).SavePng(path, 1600, 800);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>The file name of a run's timeline chart: <c>timeline-&lt;protocol&gt;-&lt;network&gt;.png</c>.</summary>
    public static string TimelineFileName(ProtocolRunReport run) => $"timeline-{run.Name}-{run.Network}.png";

    /// <summary>
    /// A Gantt chart of one simulated run: a row per party and kind (server compute, sending, waiting, then the
    /// client's) with the virtual time of each segment, faint lines where the party's layers begin, and the names of
    /// as many of the server's layers as fit above.
    /// </summary>
    public static Plot Timeline(string model, ProtocolRunReport run)
    {
        var timeline = run.Timeline ?? throw new ArgumentException($"the {run.Name} run over {run.Network} has no timeline", nameof(run));
        var kinds = new (string Name, Color Color, Func<PartyTimeline, IReadOnlyList<TimelineSegment>> Segments)[]
        {
            ("compute", Palette.GetColor(0), p => p.Compute),
            ("sending", Palette.GetColor(1), p => p.Sending),
            ("waiting", Palette.GetColor(7), p => p.Waiting),
        };
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        int rows = timeline.Parties.Count * kinds.Length;
        double top = rows - 0.5;
        var boundary = Colors.Black.WithAlpha(0.25);
        for (int p = 0; p < timeline.Parties.Count; p++)
        {
            var party = timeline.Parties[p];
            // Rows from the top: the server's three, then the client's.
            double groupTop = rows - p * kinds.Length - 0.5, groupBottom = groupTop - kinds.Length;
            for (int k = 0; k < kinds.Length; k++)
            {
                double y = groupTop - 0.5 - k;
                ticks.Add(new Tick(y, $"{party.Role} {kinds[k].Name}"));
                foreach (var segment in kinds[k].Segments(party))
                    bars.Add(new Bar
                    {
                        Position = y, ValueBase = segment.Start, Value = segment.End, Size = 0.7,
                        FillColor = Shade(kinds[k].Color, segment), LineColor = Shade(kinds[k].Color, segment), LineWidth = 0,
                        Orientation = Orientation.Horizontal,
                    });
            }
            foreach (var layer in party.Layers)
            {
                var line = plot.Add.Line(layer.StartSeconds, groupBottom, layer.StartSeconds, groupTop);
                line.LineColor = boundary;
                line.LineWidth = 1;
            }
            if (p > 0) plot.Add.HorizontalLine(groupTop, 1, Colors.Black.WithAlpha(0.5));
        }
        plot.Add.Bars(bars);

        if (timeline.Parties.Count > 0) LabelLayers(plot, timeline.Parties[0].Layers, run.SimulatedSeconds, top);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        // A little room left of 0, so that the setup's line and name show, and above the rows for the layer names.
        plot.Axes.SetLimitsX(-run.SimulatedSeconds / 200, run.SimulatedSeconds * 1.005);
        plot.Axes.SetLimitsY(-0.5, top + 1.1);
        foreach (var kind in kinds) plot.Legend.ManualItems.Add(new LegendItem { LabelText = kind.Name, FillColor = kind.Color });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "layer start", LineColor = boundary, LineWidth = 1 });
        if (run.PreprocessingSeconds is { } inputArrives)
        {
            // Pre-processing ahead: the online phase, what the client waits for once its input exists, starts here.
            var online = plot.Add.VerticalLine(inputArrives, 2, Colors.Red);
            online.LinePattern = LinePattern.Dashed;
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"input arrives (online {run.OnlineSeconds:F2} s)", LineColor = Colors.Red, LineWidth = 2,
                LinePattern = LinePattern.Dashed,
            });
        }
        plot.ShowLegend(Edge.Right);
        plot.Title($"{model}, {run.Name} over {run.Network}: timeline of the simulated run ({run.SimulatedSeconds:F2} s)");
        plot.XLabel(timeline.ResolutionSeconds > 0
            ? $"seconds of virtual time (gaps up to {CoPriv.Network.Links.Latency.Format(CoPriv.Network.Links.Latency.FromSeconds(timeline.ResolutionSeconds))} in a row are filled; paler: busy for part of the segment)"
            : "seconds of virtual time");
        return plot;
    }

    /// <summary>A segment's colour, paler in proportion to the share of it that was busy (filled gaps are not).</summary>
    private static Color Shade(Color color, TimelineSegment segment)
    {
        double length = segment.End - segment.Start;
        double busy = length > 0 ? Math.Clamp(segment.CoveredSeconds / length, 0, 1) : 1;
        return busy >= 1 ? color : color.WithAlpha(0.1 + 0.9 * busy);
    }

    /// <summary>Names layers at their start, skipping those too close to the last one named so that names never overlap.</summary>
    private static void LabelLayers(Plot plot, IReadOnlyList<LayerStart> layers, double seconds, double y)
    {
        // Names are written upwards, so a name needs about a line's height of the 1600-pixel-wide chart.
        double spacing = seconds / 90;
        double last = double.NegativeInfinity;
        foreach (var layer in layers)
        {
            if (layer.StartSeconds - last < spacing) continue;
            last = layer.StartSeconds;
            var text = plot.Add.Text(ShortName(layer.Layer), layer.StartSeconds, y);
            text.LabelFontSize = 10;
            text.LabelRotation = -90;
            text.LabelAlignment = Alignment.MiddleLeft;
            text.LabelFontColor = Colors.Black.WithAlpha(0.7);
        }
    }

    private static string ShortName(string layer) => layer.StartsWith("layer-", StringComparison.Ordinal) ? layer["layer-".Length..] : layer;

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
