using System.ComponentModel;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Zoo;
using Spectre.Console.Cli;
using Spectre.Console;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv cost`: the cost model's prediction of a secure inference (bytes per direction and phase, rounds, per layer
/// and operator) from the protocols' cost functions, without running it — also for models too big to run here.
/// </summary>
public sealed class CostCommand : Command<CostCommand.Settings>
{
    public sealed class Settings : InferenceSettings
    {
        [CommandOption("--layers")]
        [Description("Also list every layer in the table (JSON always has them).")]
        public bool Layers { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (spec, zoo) = settings.Resolve();
        // BatchNorm statistics change no cost, so the model is built without calibration runs.
        var graph = zoo.Architecture(spec.Width);
        var report = InferenceReportBuilder.Prediction(InferenceSettings.Planned(() => SecureInferencePlan.ForModel(graph, spec)));
        settings.WriteMarkdown(report);
        if (settings.Json) Console.WriteLine(InferenceReportJson.Serialize(report));
        else InferenceReportTable.Render(AnsiConsole.Console, report, settings.Layers);
        return 0;
    }
}
