namespace CoPriv.Sim.Reports;

/// <summary>Writes a report's files into one directory: report.json, report.md and (optionally) the PNG charts.</summary>
public static class ReportWriter
{
    /// <summary>Creates <paramref name="directory"/> if need be and returns the paths written.</summary>
    public static IReadOnlyList<string> Write(SimulationReport report, string directory, bool charts = true)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var json = Path.Combine(directory, "report.json");
        File.WriteAllText(json, ReportJson.Serialize(report));
        written.Add(json);
        var images = charts ? ReportCharts.Write(report, directory) : [];
        var markdown = Path.Combine(directory, "report.md");
        File.WriteAllText(markdown, ReportMarkdown.Render(report, images));
        written.Add(markdown);
        written.AddRange(images);
        return written;
    }
}
