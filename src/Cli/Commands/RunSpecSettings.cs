using System.ComponentModel;
using Akka.Configuration;
using CoPriv.Inference.Planning;
using CoPriv.Sim.Configuration;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>
/// The options every command that plans a secure inference shares, with the same names everywhere: the run spec's
/// fields (over the HOCON's <c>copriv.run</c> and the <c>COPRIV_*</c> environment variables) and the HOCON directory.
/// </summary>
public class RunSpecSettings : CommandSettings
{
    [CommandOption("--model <NAME|FILE.onnx>")]
    [Description("Zoo model (`copriv models` lists them) or the path of an ONNX model file; default copriv.run.model / COPRIV_MODEL.")]
    public string? Model { get; init; }

    [CommandOption("--protocol <NAME>")]
    [Description("cryptflow2 (im2col, client always COT receiver, BatchNorm as element-wise product), copriv (Winograd F(2×2,3×3) for 3×3 stride-1 convs, polyphase F(2,2) for 3×3 stride-2 convs, DNN-aware orientation, BatchNorm folded) or copriv-f4 (the same with F(4×4,3×3), a what-if); simulate also takes both, its default.")]
    public string? Protocol { get; init; }

    [CommandOption("--ell|--ring-bits <BITS>")]
    [Description("Ring bits ℓ, 8..64 (default copriv.run.ell / COPRIV_ELL, else 41).")]
    public int? Ell { get; init; }

    [CommandOption("--scale <BITS>")]
    [Description("Fixed-point scale s, with 2s < ℓ (default copriv.run.scale / COPRIV_SCALE, else 11).")]
    public int? Scale { get; init; }

    [CommandOption("--width <MULTIPLIER>")]
    [Description("Channel-count multiplier of the model, e.g. 0.25 for a quick reduced-width run (default 1).")]
    public double? Width { get; init; }

    [CommandOption("--ot <BACKEND>")]
    [Description("OT extension backend both parties run: iknp (default copriv.run.ot / COPRIV_OT).")]
    public string? Ot { get; init; }

    [CommandOption("--weight-bits <BITS>")]
    [Description("Public bit-width B of the weights as the linear layers use them (transforms included) under copriv: the server, as OT receiver, makes B OTs per weight instead of ℓ; a model that needs more is refused (default copriv.run.weight-bits / COPRIV_WEIGHT_BITS, else 17 at s = 11, moving with s; cryptflow2 always uses ℓ).")]
    public int? WeightBits { get; init; }

    [CommandOption("--preprocess <MODE>")]
    [Description("ahead (default; copriv.run.preprocess / COPRIV_PREPROCESS): the session runs every linear layer's OTs and every comparison's bit triples before the online phase, as a deployment does before the client's input exists, and reports pre-processing and online seconds apart; inline: each layer pre-processes when it runs.")]
    public string? Preprocess { get; init; }

    [CommandOption("--config <DIR>")]
    [Description("Directory of the HOCON files (base.conf, presets.conf, …); default hocon/ beside copriv or in the working directory.")]
    public string? Config { get; init; }

    /// <summary>The HOCON of this run (hocon/ files over the actor runtime's defaults).</summary>
    internal Config LoadConfig() => CoPrivConfig.Load(Config ?? CoPrivConfig.DefaultDirectory());

    /// <summary>What the command line says of the run spec.</summary>
    internal RunSpecSource CommandLine() => new("command line")
    {
        Model = Model, Protocol = Protocol, RingBits = Ell, Scale = Scale, Width = Width, Ot = Ot, WeightBits = WeightBits,
        Preprocess = Preprocess,
    };

    /// <summary>
    /// The run spec: the command's own defaults (if any), then HOCON, the environment and the command line, each
    /// field checked once by <see cref="RunSpec.Create"/>.
    /// </summary>
    internal RunSpec ResolveSpec(Config config, RunSpecSource? commandDefaults = null, string? protocol = null)
    {
        var commandLine = CommandLine();
        if (protocol is not null) commandLine = commandLine with { Protocol = protocol };
        return RunSpec.Resolve(commandDefaults ?? new RunSpecSource("command defaults"), RunSpecConfig.Source(config),
            RunSpecSource.FromEnvironment(), commandLine);
    }
}
