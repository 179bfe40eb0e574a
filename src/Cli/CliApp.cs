using Spectre.Console.Cli;

namespace CoPriv.Cli;

/// <summary>The `copriv` command tree. Each command lives in its own file under Commands/.</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("copriv");
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.AddCommand<Commands.SimulateCommand>("simulate").WithDescription("Secure inference of a zoo model as actor sessions over a simulated or emulated network: bytes, rounds, compute and latency per protocol.");
            config.AddCommand<Commands.RunCommand>("run").WithDescription("Run a secure inference in this process (both parties) and report it.");
            config.AddCommand<Commands.CostCommand>("cost").WithDescription("Predict a secure inference's traffic from the protocols' cost functions.");
            config.AddCommand<Commands.ServeCommand>("serve").WithDescription("Serve a model's secure inference to clients on other machines (a cluster node with the role server) until stopped.");
            config.AddCommand<Commands.InferCommand>("infer").WithDescription("Run a secure inference of an image against a serving cluster (a client node) and report it.");
            config.AddCommand<Commands.OptimizeCommand>("optimize").WithDescription("2PC-aware network optimization (CoPriv's communication-weighted block gates and merging, or SNL): writes an optimized ONNX model and reports what it saves.");
            config.AddCommand<Commands.ModelsCommand>("models").WithDescription("List the model zoo.");
            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("Measure protocol throughput on in-memory channels.");
                bench.AddCommand<Commands.BenchOtCommand>("ot").WithDescription("OT extension throughput (random COT, 41-bit COT, 1-of-16 OT).");
                bench.AddCommand<Commands.BenchReluCommand>("relu").WithDescription("Batched ReLU throughput, bits per element and rounds.");
                bench.AddCommand<Commands.BenchTransportCommand>("transport").WithDescription("Data-plane throughput between two processes (tcp, tcp-tls) and over Akka.Remote (akka).");
                bench.AddCommand<Commands.BenchConvCommand>("conv").WithDescription("One secure convolution layer: bytes per phase, seconds, check against the cleartext reference.");
            });
        });
        // Redirected output (a log, `| tee`) has no terminal width; Spectre would assume 80 columns and fold the tables.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = Math.Max(Spectre.Console.AnsiConsole.Profile.Width, 160);
        try
        {
            return app.Run(args.Select(SingleLetterLongOption).ToArray());
        }
        catch (Exception e) when (e is CommandParseException or CommandRuntimeException or ArgumentException
                                       or CoPriv.Protocols.Core.ProtocolException or FormatException or IOException
                                       or CoPriv.Models.Onnx.OnnxFormatException or CoPriv.Models.Graph.InvalidModelException)
        {
            Console.Error.WriteLine($"copriv: error: {e.Message}");
            return 2;
        }
        catch (Commands.InferException e)
        {
            Console.Error.WriteLine($"copriv: error: {e.Message}");
            return 1;
        }
    }

    // Spectre.Console.Cli refuses one-letter long options, but `--n N` is the documented spelling of the bench
    // commands' size option; read it as the short option `-n`.
    private static string SingleLetterLongOption(string arg) =>
        arg.Length == 3 && arg.StartsWith("--", StringComparison.Ordinal) && char.IsLetter(arg[2]) ? arg[1..] : arg;
}
