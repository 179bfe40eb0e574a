using System.ComponentModel;
using System.Runtime.Intrinsics;
using System.Text.Json;
using CoPriv.Bench;
using CoPriv.Protocols.Crypto;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// `copriv bench ot`: OT-extension throughput with both parties in this process, one thread each, on in-memory
/// channels (base-OT setup excluded, warm-up first). Kernels: random COT, COT with 41-bit correlations, 1-of-16 OT
/// with 2-bit messages.
/// </summary>
public sealed class BenchOtCommand : Command<BenchOtCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-n|--ots <N>")]
        [Description("OTs per kernel in the timed part (default 4,194,304); also accepted as --n.")]
        [DefaultValue(4_194_304L)]
        public long N { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            N < 1 ? ValidationResult.Error("--n must be at least 1") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        long warmup = Math.Min(settings.N, 1L << 20);
        var randomCot = OtThroughput.Measure(OtKernel.RandomCot, settings.N, warmup);
        var cot41 = OtThroughput.Measure(OtKernel.Correlated41, settings.N, warmup);
        var oneOf16 = OtThroughput.Measure(OtKernel.OneOf16Bits2, settings.N, warmup);
        var results = new[] { randomCot, cot41, oneOf16 };
        if (settings.Json)
        {
            var report = new
            {
                n = settings.N,
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
            var table = new Table().AddColumns("kernel", "OTs/s", "bytes/OT", "seconds", "CPU ns/OT (both)", "outputs");
            foreach (var r in results)
                table.AddRow(Describe(r.Kernel), r.OtsPerSecond.ToString("N0"), r.BytesPerOt.ToString("0.###"),
                    r.Elapsed.TotalSeconds.ToString("0.000"), r.CpuNanosecondsPerOt.ToString("0.0"),
                    r.OutputsVerified ? "verified" : "[red]WRONG[/]");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"n = {settings.N:N0} per kernel, one thread per party, in-memory channel, base OTs excluded");
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
