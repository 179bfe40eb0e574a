namespace CoPriv.Sim.Reports;

/// <summary>Writes a report's files into one directory: report.json, report.md and (optionally) the PNG charts.</summary>
public static class ReportWriter
{
    /// <summary>The report's JSON text (as written to report.json) and the paths written.</summary>
    public sealed record Written(string Json, IReadOnlyList<string> Files);

    /// <summary>Creates <paramref name="directory"/> if need be and writes the files.</summary>
    public static Written Write(SimulationReport report, string directory, bool charts = true)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        var json = ReportJson.Serialize(report);
        var jsonPath = Path.Combine(directory, "report.json");
        File.WriteAllText(jsonPath, json);
        files.Add(jsonPath);
        var images = charts ? ReportCharts.Write(report, directory) : [];
        var markdown = Path.Combine(directory, "report.md");
        File.WriteAllText(markdown, ReportMarkdown.Render(report, images));
        files.Add(markdown);
        files.AddRange(images);
        return new Written(json, files);
    }
}
