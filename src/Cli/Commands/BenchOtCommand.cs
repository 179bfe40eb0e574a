using System.ComponentModel;
using System.Runtime.Intrinsics;
using System.Text.Json;
using CoPriv.Bench;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv bench ot`: OT-extension throughput with both parties in this process, one thread each, on in-memory
/// channels (session setup timed and counted apart, warm-up first). Kernels: random COT, COT with 41-bit correlations,
/// 1-of-16 OT with 2-bit messages. With `--ot ferret` the warm-up takes the COTs the setup left, so that the timed part
/// pays for every iteration it uses (4 per party by default), and bits per COT count every byte after the setup.
/// </summary>
public sealed class BenchOtCommand : Command<BenchOtCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-n|--ots <N>")]
        [Description("OTs per kernel in the timed part (default 4,194,304; with --ot ferret four iterations' worth, 40,068,480); also accepted as --n.")]
        public long? N { get; init; }

        [CommandOption("--ot <BACKEND>")]
        [Description("The OT backend: iknp (default) or ferret.")]
        [DefaultValue("iknp")]
        public string Ot { get; init; } = "iknp";

        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (N is < 1) return ValidationResult.Error("--n must be at least 1");
            try
            {
                OtBackend.Parse(Ot);
            }
            catch (ArgumentException e)
            {
                return ValidationResult.Error(e.Message);
            }
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var backend = OtBackend.Parse(settings.Ot).WithThreads(1);
        var batching = backend.Costs.Batching;
        long n = settings.N ?? (batching.PerBatch > 0 ? 4 * batching.PerBatch : 4_194_304);
        // Ferret: use up what the setup made (whole warm-up batches), so the timed part runs its own iterations.
        long warmup = batching.PerBatch > 0
            ? batching.Available / OtThroughput.BatchOts * OtThroughput.BatchOts
            : Math.Min(n, 1L << 20);
        var randomCot = OtThroughput.Measure(OtKernel.RandomCot, n, warmup, backend);
        var cot41 = OtThroughput.Measure(OtKernel.Correlated41, n, warmup, backend);
        var oneOf16 = OtThroughput.Measure(OtKernel.OneOf16Bits2, n, warmup, backend);
        var results = new[] { randomCot, cot41, oneOf16 };
        if (settings.Json)
        {
            var report = new
            {
                ot = backend.Name,
                n,
                randomCotPerSec = Math.Round(randomCot.OtsPerSecond),
                cot41PerSec = Math.Round(cot41.OtsPerSecond),
                oneOf16PerSec = Math.Round(oneOf16.OtsPerSecond),
                randomCotBytesPerOt = randomCot.BytesPerOt,
                cot41BytesPerOt = cot41.BytesPerOt,
                oneOf16BytesPerOt = oneOf16.BytesPerOt,
                randomCotCpuNsPerOt = randomCot.CpuNanosecondsPerOt,
                cot41CpuNsPerOt = cot41.CpuNanosecondsPerOt,
                oneOf16CpuNsPerOt = oneOf16.CpuNanosecondsPerOt,
                randomCotSeconds = randomCot.Elapsed.TotalSeconds,
                cot41Seconds = cot41.Elapsed.TotalSeconds,
                oneOf16Seconds = oneOf16.Elapsed.TotalSeconds,
                bitsPerCot = randomCot.BitsPerOtAfterSetup,
                cot41BitsPerOt = cot41.BitsPerOtAfterSetup,
                oneOf16BitsPerOt = oneOf16.BitsPerOtAfterSetup,
                setupBytes = randomCot.SetupBytes,
                setupSeconds = randomCot.SetupTime.TotalSeconds,
                outputsVerified = results.All(r => r.OutputsVerified),
                threadsPerParty = 1,
                aesNi = Aes128.HardwareAccelerated,
                vector256 = Vector256.IsHardwareAccelerated,
                vector512 = Vector512.IsHardwareAccelerated,
            };
            Console.WriteLine(JsonSerializer.Serialize(report));
        }
        else
        {
            var table = new Table().AddColumns("kernel", "OTs/s", "bits/OT after setup", "seconds", "CPU ns/OT (both)", "setup", "outputs");
            foreach (var r in results)
                table.AddRow(Describe(r.Kernel), r.OtsPerSecond.ToString("N0"), r.BitsPerOtAfterSetup.ToString("0.###"),
                    r.Elapsed.TotalSeconds.ToString("0.000"), r.CpuNanosecondsPerOt.ToString("0.0"),
                    $"{r.SetupBytes:N0} B, {r.SetupTime.TotalSeconds:0.00} s",
                    r.OutputsVerified ? "verified" : "[red]WRONG[/]");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"OT backend {backend.Name}; n = {n:N0} per kernel after a warm-up of {warmup:N0}, one thread per party, in-memory channel; " +
                "bits per OT count every byte both parties sent after the setup");
        }
        return results.All(r => r.OutputsVerified) ? 0 : 1;
    }

    private static string Describe(OtKernel kernel) => kernel switch
    {
        OtKernel.RandomCot => "random COT (128-bit, global Δ)",
        OtKernel.Correlated41 => "COT, 41-bit correlations",
        _ => "1-of-16 OT, 2-bit messages",
    };
}
