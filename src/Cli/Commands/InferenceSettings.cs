using System.ComponentModel;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Sources;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>The options `copriv run` and `copriv cost` share beyond the run spec: how to report.</summary>
public class InferenceSettings : RunSpecSettings
{
    [CommandOption("--json")]
    [Description("Print the report as one JSON object.")]
    public bool Json { get; init; }

    [CommandOption("--markdown <FILE>")]
    [Description("Also write the report as Markdown to this file.")]
    public string? Markdown { get; init; }

    /// <summary>The run spec (HOCON, environment, command line) and the model it names: a zoo model or an ONNX file.</summary>
    internal (RunSpec Spec, IModelSource Model) Resolve()
    {
        var spec = ResolveSpec(LoadConfig());
        return (spec, ModelSources.Resolve(spec.Model));
    }

    /// <summary>
    /// The plan of a model under this policy. A model the policy cannot lower (a scale that leaves no integer bits in
    /// the ring, an operator without a protocol) is a usage error: one error line, not a crash.
    /// </summary>
    internal static T Planned<T>(Func<T> plan)
    {
        try
        {
            return plan();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or CoPriv.Models.Graph.InvalidModelException)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    internal void WriteMarkdown(InferenceReport report)
    {
        if (Markdown is not null) File.WriteAllText(Markdown, InferenceReportMarkdown.Render(report));
    }
}
