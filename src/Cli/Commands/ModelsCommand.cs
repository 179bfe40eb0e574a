using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using CoPriv.Models.Statistics;
using CoPriv.Models.Zoo;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>`copriv models`: the model zoo, with which variant each model is and its size.</summary>
public sealed class ModelsCommand : Command<ModelsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--json")]
        [Description("Print one JSON object.")]
        public bool Json { get; init; }
    }

    public sealed record ModelEntry(string Name, string Dataset, IReadOnlyList<int> InputShape, int Classes, int Convolutions,
        long MultiplyAccumulates, long Relus, long Parameters, string Description);

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var entries = ModelZoo.Models.Select(m =>
        {
            var stats = ModelStatistics.Of(m.Create(new ZooOptions(CalibrationSamples: 0)));
            return new ModelEntry(m.Name, m.Dataset, m.InputShape.Dimensions.ToArray(), m.Classes, stats.ConvolutionCount,
                stats.MultiplyAccumulates, stats.ReluCount, stats.ParameterCount, m.Description);
        }).ToArray();
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { models = entries }, JsonOptions));
            return 0;
        }
        var table = new Table().AddColumn("model").AddColumn("dataset").AddColumn("input")
            .AddColumn(new TableColumn("convs").RightAligned()).AddColumn(new TableColumn("MACs").RightAligned())
            .AddColumn(new TableColumn("ReLUs").RightAligned()).AddColumn(new TableColumn("params").RightAligned());
        foreach (var e in entries)
            table.AddRow(e.Name, e.Dataset, string.Join("×", e.InputShape), e.Convolutions.ToString(CultureInfo.InvariantCulture),
                Millions(e.MultiplyAccumulates), e.Relus.ToString("N0", CultureInfo.InvariantCulture), Millions(e.Parameters));
        AnsiConsole.Write(table);
        // Descriptions are long sentences: listed below the table rather than squeezed into a column.
        foreach (var e in entries) AnsiConsole.MarkupLine($"[bold]{Markup.Escape(e.Name)}[/]: {Markup.Escape(e.Description)}");
        return 0;
    }

    private static string Millions(long n) => (n / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " M";
}
