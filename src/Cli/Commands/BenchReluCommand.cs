using System.ComponentModel;
using System.Text.Json;
using CoPriv.Bench;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;
using CoPriv.Protocols.Ot;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv bench relu`: batched ReLU throughput with both parties in this process, one thread each (or two with
/// --threads 2), on in-memory channels; base-OT setup and warm-up runs are excluded from the timing, the output is
/// checked and the traffic compared with the cost model.
/// </summary>
public sealed class BenchReluCommand : Command<BenchReluCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--ell <BITS>")]
        [Description("Ring bit width ℓ (2..64, default 32).")]
        [DefaultValue(32)]
        public int Ell { get; init; }

        [CommandOption("-n|--elements <N>")]
        [Description("ReLUs per batch (default 65,536); also accepted as --n.")]
        [DefaultValue(65_536)]
        public int N { get; init; }

        [CommandOption("--variant <VARIANT>")]
        [Description("chosen (two chosen-message OTs, as SCI; default) or cot (correlated-OT multiplexer).")]
        [DefaultValue("chosen")]
        public string Variant { get; init; } = "chosen";

        [CommandOption("--radix <M>")]
        [Description("Millionaires' digit width m (2..8, default 4).")]
        [DefaultValue(ReluProtocol.DefaultRadix)]
        public int Radix { get; init; }

        [CommandOption("--runs <K>")]
        [Description("Timed runs; the median is reported (default 5).")]
        [DefaultValue(5)]
        public int Runs { get; init; }

        [CommandOption("--threads <T>")]
        [Description("Threads per party: 1 (default, as SCI's single-thread figures) or 2 (both OT directions at once).")]
        [DefaultValue(1)]
        public int Threads { get; init; }

        [CommandOption("--ot <BACKEND>")]
        [Description("The OT backend: iknp (default) or ferret. With ferret the IKNP figures of the same run are reported beside.")]
        [DefaultValue("iknp")]
        public string Ot { get; init; } = "iknp";

        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            try
            {
                OtBackend.Parse(Ot);
            }
            catch (ArgumentException e)
            {
                return ValidationResult.Error(e.Message);
            }
            if (Ell is < 2 or > 64) return ValidationResult.Error("--ell must be between 2 and 64");
            if (N < 1) return ValidationResult.Error("--n must be at least 1");
            if (Radix is < 2 or > 8) return ValidationResult.Error("--radix must be between 2 and 8");
            if (Runs < 1) return ValidationResult.Error("--runs must be at least 1");
            if (Threads is not (1 or 2)) return ValidationResult.Error("--threads must be 1 or 2");
            if (Variant is not ("chosen" or "cot")) return ValidationResult.Error("--variant must be chosen or cot");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var variant = settings.Variant == "cot" ? ReluVariant.CorrelatedOtMultiplexer : ReluVariant.ChosenMessageOt;
        var backend = OtBackend.Parse(settings.Ot).WithThreads(settings.Threads);
        var r = ReluThroughput.Measure(new Ring(settings.Ell), settings.N, variant, settings.Radix, settings.Runs,
            threadsPerParty: settings.Threads, otBackend: backend);
        // Another backend is compared with IKNP measured here and now, on the same machine in the same state.
        var iknp = backend == OtBackend.Iknp ? null
            : ReluThroughput.Measure(new Ring(settings.Ell), settings.N, variant, settings.Radix, settings.Runs,
                threadsPerParty: settings.Threads, otBackend: OtBackend.Iknp);
        bool costMatches = r.Cost == r.PredictedCost && (iknp is null || iknp.Cost == iknp.PredictedCost);
        bool verified = r.OutputsVerified && (iknp is null || iknp.OutputsVerified);
        if (settings.Json)
        {
            var report = new
            {
                ot = backend.Name,
                reluPerSec = Math.Round(r.ReluPerSecond),
                amortizedReluPerSec = Math.Round(r.AmortizedReluPerSecond),
                bitsPerElement = Math.Round(r.BitsPerElement, 3),
                generationBitsPerElement = Math.Round(r.GenerationBitsPerElement, 3),
                cotsGeneratedAhead = r.CotsGeneratedAhead,
                generationSeconds = Math.Round(r.GenerationSeconds, 6),
                iknpReluPerSec = iknp is null ? (double?)null : Math.Round(iknp.ReluPerSecond),
                iknpAmortizedReluPerSec = iknp is null ? (double?)null : Math.Round(iknp.AmortizedReluPerSecond),
                iknpBitsPerElement = iknp is null ? (double?)null : Math.Round(iknp.BitsPerElement, 3),
                rounds = r.Cost.Rounds,
                ell = r.Bits,
                n = r.Elements,
                variant = settings.Variant,
                radix = r.Radix,
                bestReluPerSec = Math.Round(r.BestReluPerSecond),
                medianSeconds = r.Median.TotalSeconds,
                cpuMicrosecondsPerRelu = Math.Round(r.CpuMicrosecondsPerRelu, 3),
                runSeconds = r.Runs.Select(t => t.TotalSeconds).ToArray(),
                serverToClientBytes = r.Cost.OnlineServerToClient + r.Cost.PreprocessingServerToClient,
                clientToServerBytes = r.Cost.OnlineClientToServer + r.Cost.PreprocessingClientToServer,
                costMatchesModel = costMatches,
                outputsVerified = verified,
                threadsPerParty = r.ThreadsPerParty,
            };
            Console.WriteLine(JsonSerializer.Serialize(report));
        }
        else
        {
            var table = new Table().AddColumns("OT", "ℓ", "n", "variant", "ReLU/s (median)", "ReLU/s (all runs)", "ReLU/s (best)",
                "CPU µs/ReLU", "bits/element", "rounds", "outputs");
            foreach (var (name, m) in new[] { (backend.Name, r), (OtBackend.Iknp.Name, iknp) })
                if (m is not null)
                    table.AddRow(name, m.Bits.ToString(), m.Elements.ToString("N0"), settings.Variant, m.ReluPerSecond.ToString("N0"),
                        m.AmortizedReluPerSecond.ToString("N0"), m.BestReluPerSecond.ToString("N0"), m.CpuMicrosecondsPerRelu.ToString("0.00"),
                        m.BitsPerElement.ToString("0.###"), m.Cost.Rounds.ToString(),
                        m.OutputsVerified ? "verified" : "[red]WRONG[/]");
            AnsiConsole.Write(table);
            if (r.GenerationBitsPerElement > 0)
                AnsiConsole.MarkupLine($"bits/element include {r.GenerationBitsPerElement:0.###} bits of {backend.Name}'s COT batches per element, at its steady rate per COT");
            if (r.CotsGeneratedAhead)
                AnsiConsole.MarkupLine(
                    $"{backend.Name} made each run's COTs before it ({r.GenerationSeconds:0.###} s over {r.Runs.Count} runs), as a deployment's pre-processing does; the median leaves that out, 'all runs' counts it");
            AnsiConsole.MarkupLine(
                $"{r.ThreadsPerParty} thread(s) per party, in-memory channel, base OTs excluded; cost model {(costMatches ? "matches" : "[red]differs from[/]")} the meters");
        }
        return verified && costMatches ? 0 : 1;
    }
}
