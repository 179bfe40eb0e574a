using System.ComponentModel;
using System.Globalization;
using CoPriv.Actors.Inspection;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Inputs;
using CoPriv.Models.Lowering;
using CoPriv.Models.Zoo;
using CoPriv.Protocols.Core;
using Spectre.Console.Cli;
using Spectre.Console;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv run`: a real secure inference in this process — server and client on their own threads over in-memory
/// channels — checked bit for bit against the fixed-point reference executor, with the report of the run (measured
/// traffic beside the cost model, seconds, peak memory). Progress per layer goes to stderr.
/// </summary>
public sealed class RunCommand : Command<RunCommand.Settings>
{
    public sealed class Settings : InferenceSettings
    {
        [CommandOption("--input <FILE>")]
        [Description("The client's image: a CIFAR binary (.bin), PNG, PPM, a NumPy float array (.npy) or raw float32 (.f32); a seeded random image when absent.")]
        public string? Input { get; init; }

        [CommandOption("--index <I>")]
        [Description("Which image of the input file (0-based).")]
        [DefaultValue(0)]
        public int Index { get; init; }

        [CommandOption("--seed <N>")]
        [Description("Seed of the random image and of both parties' randomness (a reproducible single-process run).")]
        [DefaultValue(1UL)]
        public ulong Seed { get; init; } = 1;

        [CommandOption("--sequential-ot")]
        [Description("Run the two OT directions of the non-linear protocols one after the other (one thread per party, as SCI).")]
        public bool SequentialOt { get; init; }

        [CommandOption("--layers")]
        [Description("Also list every layer in the table (JSON always has them).")]
        public bool Layers { get; init; }

        [CommandOption("--inspect <ADDRESS>")]
        [Description(InspectOption.Description + " For run: the one in-process session (id 'run'): its layer progress and bytes, the log, and kill.")]
        public string? Inspect { get; init; }

        [CommandOption("--quiet")]
        [Description("No progress lines on stderr.")]
        public bool Quiet { get; init; }

        public override ValidationResult Validate()
        {
            if (Index < 0) return ValidationResult.Error($"--index must be 0 or more, got {Index}");
            if (Index > 0 && Input is null) return ValidationResult.Error("--index needs --input");
            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (spec, zoo) = settings.Resolve();
        var policy = spec.Policy();
        var input = settings.Input is null
            ? InputImages.Random(zoo.InputShape, settings.Seed)
            : InputImages.Read(settings.Input, settings.Index, zoo);
        var graph = zoo.Create(new ZooOptions(WidthMultiplier: spec.Width));
        var program = InferenceSettings.Planned(() => FixedPointLowering.Lower(graph, policy.FixedPoint));
        var plan = InferenceSettings.Planned(() => SecureInferencePlan.Create(program, policy, spec));
        var config = settings.LoadConfig();
        var inspector = InspectOption.Resolve(settings.Inspect, config);
        using var inspection = inspector is null ? null : RunInspection.Start(inspector, plan, config);
        var options = new InferenceOptions
        {
            Seed = settings.Seed,
            ConcurrentOtDirections = !settings.SequentialOt,
            Progress = settings.Quiet && inspection is null ? null : p =>
            {
                inspection?.LayerFinished(p);
                if (!settings.Quiet) ShowProgress(p);
            },
        };
        SecureInferenceResult result;
        try
        {
            result = SecureInference.RunInProcess(plan, program, program.EncodeInput(input.Image), options,
                inspection is null ? null : () => inspection.Channels);
        }
        catch (Exception e)
        {
            inspection?.Ended(inspection.Killed?.Reason ?? $"{e.GetType().Name}: {e.Message}");
            if (inspection?.Killed is { } killed) throw Killed(killed);
            throw;
        }
        // A kill that came after the parties' last message stopped nothing, but was answered as done: honour it.
        if (inspection?.Killed is { } late)
        {
            inspection.Ended(late.Reason);
            throw Killed(late);
        }
        inspection?.Ended(null);
        var report = result.Report with { Input = input.Source, Label = input.Label };
        settings.WriteMarkdown(report);
        if (settings.Json) Console.WriteLine(InferenceReportJson.Serialize(report));
        else InferenceReportTable.Render(AnsiConsole.Console, report, settings.Layers);
        return report.MatchesReference == true ? 0 : 1;
    }

    private static InferException Killed(InProcessRunKilled killed) =>
        new($"session {RunInspection.SessionId} failed in {killed.Layer}: {killed.Reason}");

    private static void ShowProgress(LayerProgress p)
    {
        if (p.Role != PartyRole.Client) return;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{p.Position,4}/{p.LayerCount}] {p.Layer,-26} {p.LayerTime.TotalSeconds,8:0.000} s   total {p.Elapsed.TotalSeconds,8:0.00} s"));
    }
}
