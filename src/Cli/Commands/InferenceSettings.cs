using System.ComponentModel;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Zoo;
using Spectre.Console.Cli;
using Spectre.Console;

namespace CoPriv.Cli.Commands;

/// <summary>The options `copriv run` and `copriv cost` share: which model, which protocol, which fixed-point format.</summary>
public class InferenceSettings : CommandSettings
{
    [CommandOption("--model <NAME>")]
    [Description("Zoo model (`copriv models` lists them).")]
    public string? Model { get; init; }

    [CommandOption("--protocol <NAME>")]
    [Description("cryptflow2 (im2col, client always COT receiver, BatchNorm as element-wise product), copriv (Winograd F(2×2,3×3) for 3×3 stride-1 convs, polyphase F(2,2) for 3×3 stride-2 convs, DNN-aware orientation, BatchNorm folded) or copriv-f4 (the same with F(4×4,3×3), a what-if).")]
    public string? Protocol { get; init; }

    [CommandOption("--ell <BITS>")]
    [Description("Ring bits ℓ.")]
    [DefaultValue(41)]
    public int Ell { get; init; } = 41;

    [CommandOption("--scale <BITS>")]
    [Description("Fixed-point scale s.")]
    [DefaultValue(11)]
    public int Scale { get; init; } = 11;

    [CommandOption("--width <MULTIPLIER>")]
    [Description("Channel-width multiplier of the model (e.g. 0.25 for a reduced-width variant).")]
    [DefaultValue(1.0)]
    public double Width { get; init; } = 1.0;

    [CommandOption("--json")]
    [Description("Print the report as one JSON object.")]
    public bool Json { get; init; }

    [CommandOption("--markdown <FILE>")]
    [Description("Also write the report as Markdown to this file.")]
    public string? Markdown { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) return ValidationResult.Error("--model is required (`copriv models` lists them)");
        if (!ModelZoo.Names.Contains(Model, StringComparer.OrdinalIgnoreCase))
            return ValidationResult.Error($"unknown model '{Model}'; known models: {string.Join(", ", ModelZoo.Names)}");
        if (string.IsNullOrWhiteSpace(Protocol))
            return ValidationResult.Error($"--protocol is required: one of {string.Join(", ", SecureInferencePolicy.Names)}");
        if (!SecureInferencePolicy.Names.Contains(Protocol, StringComparer.OrdinalIgnoreCase))
            return ValidationResult.Error($"unknown protocol '{Protocol}'; known protocols: {string.Join(", ", SecureInferencePolicy.Names)}");
        if (!(Width > 0)) return ValidationResult.Error($"--width must be positive, got {Width}");
        return ValidationResult.Success();
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
