using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Ot;

namespace CoPriv.Inference.Planning;

/// <summary>
/// Everything both parties of a secure inference must agree on before the first byte: which model (its identity,
/// not its weights), which policy, the fixed-point format (ℓ, s) and the OT backend. Built once per run from the
/// layered sources (<see cref="Resolve"/>: HOCON, then the environment, then the command line), validated once — one
/// rule per field, in <see cref="Create"/> — and sent in the session request (<see cref="ToParameters"/>), so a
/// server rebuilds the plan from it on its own and the plan fingerprint covers it. Public: it holds nothing secret.
/// </summary>
public sealed record RunSpec
{
    /// <summary>The parameter names of <see cref="ToParameters"/> (also the keys of a session request).</summary>
    public static class Keys
    {
        public const string Model = "model";
        public const string Width = "width";
        public const string Protocol = "protocol";
        public const string RingBits = "ell";
        public const string Scale = "scale";
        public const string Ot = "ot";
        public const string WeightBits = "weight-bits";
        public const string Preprocess = "preprocess";
        public const string Fingerprint = "spec-fingerprint";
    }

    private RunSpec(string model, double width, string protocol, int ringBits, int scale, string ot, int? weightBits,
        PreprocessMode preprocess)
    {
        WeightBits = weightBits;
        Preprocess = preprocess;
        Model = model;
        Width = width;
        Protocol = protocol;
        RingBits = ringBits;
        Scale = scale;
        Ot = ot;
    }

    /// <summary>The model's identity: a zoo name or the path of the server's ONNX file (the server loads the model it names; its weights never enter the spec).</summary>
    public string Model { get; }

    /// <summary>Channel-count multiplier of the zoo model (1 = the published network).</summary>
    public double Width { get; }

    /// <summary>The policy's name: one of <see cref="SecureInferencePolicy.Names"/>.</summary>
    public string Protocol { get; }

    /// <summary>Ring bits ℓ of the shares.</summary>
    public int RingBits { get; }

    /// <summary>Fixed-point scale s.</summary>
    public int Scale { get; }

    /// <summary>The OT backend both parties run (a name <see cref="OtBackend.Parse"/> accepts, canonical).</summary>
    public string Ot { get; }

    /// <summary>
    /// B, the public bit-width of every linear layer's server operand under the copriv policies (null: their default,
    /// <see cref="SecureInferencePolicy.DefaultWeightBits"/>); cryptflow2 ignores it (SCI's products use all ℓ bits).
    /// </summary>
    public int? WeightBits { get; }

    /// <summary>When the session pre-processes (<see cref="PreprocessMode"/>); both parties must agree, as on every field.</summary>
    public PreprocessMode Preprocess { get; }

    /// <summary>The defaults every command starts from (SCI's CIFAR setting: ℓ and s of <see cref="FixedPointPolicy"/>).</summary>
    public static RunSpecSource Defaults { get; } = new("defaults")
    {
        RingBits = FixedPointPolicy.DefaultRingBits,
        Scale = FixedPointPolicy.DefaultScale,
        Width = 1.0,
        Ot = OtBackend.Iknp.Name,
        Preprocess = PreprocessModes.Ahead,
    };

    /// <summary>
    /// The spec of the layered sources, later ones winning field by field (<see cref="Defaults"/> first, then e.g.
    /// HOCON, the environment, the command line); then <see cref="Create"/>'s rules.
    /// </summary>
    /// <exception cref="ArgumentException">A field is missing or breaks its rule: one line naming the field and its source.</exception>
    public static RunSpec Resolve(params RunSpecSource[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var merged = Defaults;
        foreach (var source in sources) merged = merged.Over(source);
        // The format first: a command missing another field still names an impossible ℓ or s the same way.
        FixedPointPolicy.CheckFormat(merged.RingBits!.Value, merged.Scale!.Value);
        return Create(merged.Model ?? throw new ArgumentException(
                $"--model is required (or {RunSpecSource.Variables.Model}, or copriv.run.model in HOCON); `copriv models` lists them"),
            merged.Protocol ?? throw new ArgumentException(
                $"--protocol is required (or {RunSpecSource.Variables.Protocol}, or copriv.run.protocol in HOCON): one of {string.Join(", ", SecureInferencePolicy.Names)}"),
            merged.RingBits!.Value, merged.Scale!.Value, merged.Width!.Value, merged.Ot!, merged.WeightBits, merged.Preprocess);
    }

    /// <summary>Checks every field by its one rule and returns the spec with names in canonical (lower) case.</summary>
    /// <exception cref="ArgumentException">The first field that breaks its rule, in one line.</exception>
    public static RunSpec Create(string model, string protocol, int ringBits, int scale, double width = 1.0, string? ot = null,
        int? weightBits = null, string? preprocess = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(protocol);
        string modelName = model.Trim();
        if (modelName.Length is 0 or > 256 || modelName.Any(char.IsControl))
            throw new ArgumentException($"model name must be 1 to 256 printable characters, got '{model}'");
        string protocolName = protocol.Trim().ToLowerInvariant();
        if (!SecureInferencePolicy.Names.Contains(protocolName))
            throw new ArgumentException($"unknown protocol '{protocol}'; known protocols: {string.Join(", ", SecureInferencePolicy.Names)}");
        FixedPointPolicy.CheckFormat(ringBits, scale);
        if (!(width > 0) || double.IsInfinity(width))
            throw new ArgumentException($"width multiplier must be a positive number, got {width.ToString(CultureInfo.InvariantCulture)}");
        if (weightBits is { } b && (b < 1 || b > ringBits))
            throw new ArgumentException($"--weight-bits must be between 1 and ℓ = {ringBits}, got {b}");
        var mode = PreprocessModes.Parse(preprocess ?? PreprocessModes.Ahead);
        return new RunSpec(modelName, width, protocolName, ringBits, scale, OtBackend.Parse(ot ?? OtBackend.Iknp.Name).Name, weightBits, mode);
    }

    /// <summary>The policy this spec names, at its ℓ, s and weight bit-width.</summary>
    public SecureInferencePolicy Policy() =>
        SecureInferencePolicy.Parse(Protocol, RingBits, Scale, OtBackend.Parse(Ot), WeightBits) with { Preprocess = Preprocess };

    /// <summary>The same spec under another policy (the simulator runs one model under several); cryptflow2, the baseline, always over IKNP.</summary>
    public RunSpec WithProtocol(string protocol) => Create(Model, protocol, RingBits, Scale, Width,
        SecureInferencePolicy.Parse(protocol, RingBits, Scale).Name == SecureInferencePolicy.CrypTFlow2Name ? OtBackend.Iknp.Name : Ot, WeightBits,
        Preprocess.Name());

    /// <summary>The same spec naming the model otherwise (a server offers a model file by its file name, not its path).</summary>
    public RunSpec WithModel(string model) => Create(model, Protocol, RingBits, Scale, Width, Ot, WeightBits, Preprocess.Name());

    private string WeightBitsText => WeightBits?.ToString(CultureInfo.InvariantCulture) ?? "default";

    /// <summary>One line per field in a fixed order: what the fingerprint hashes and what a mismatch names.</summary>
    public string Canonical =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Keys.Model}={Model}\n{Keys.Width}={Width:R}\n{Keys.Protocol}={Protocol}\n{Keys.RingBits}={RingBits}\n{Keys.Scale}={Scale}\n{Keys.Ot}={Ot}\n{Keys.WeightBits}={WeightBitsText}\n{Keys.Preprocess}={Preprocess.Name()}\n");

    /// <summary>SHA-256 of <see cref="Canonical"/>, lower-case hex.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)));

    /// <summary>The spec as session-request parameters (every field, plus the fingerprint).</summary>
    public IReadOnlyDictionary<string, string> ToParameters() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Keys.Model] = Model,
        [Keys.Width] = Width.ToString("R", CultureInfo.InvariantCulture),
        [Keys.Protocol] = Protocol,
        [Keys.RingBits] = RingBits.ToString(CultureInfo.InvariantCulture),
        [Keys.Scale] = Scale.ToString(CultureInfo.InvariantCulture),
        [Keys.Ot] = Ot,
        [Keys.WeightBits] = WeightBitsText,
        [Keys.Preprocess] = Preprocess.Name(),
        [Keys.Fingerprint] = Fingerprint,
    };

    /// <summary>
    /// The spec a peer sent (<see cref="ToParameters"/>), checked by the same rules as a local one and against the
    /// fingerprint it came with.
    /// </summary>
    /// <exception cref="ArgumentException">A field is missing, malformed or breaks its rule, or the fingerprint differs.</exception>
    public static RunSpec FromParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        string Field(string key) => parameters.TryGetValue(key, out var value)
            ? value
            : throw new ArgumentException($"the run spec has no '{key}'");
        int Integer(string key) => int.TryParse(Field(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"the run spec's '{key}' is not an integer: '{Field(key)}'");
        double width = double.TryParse(Field(Keys.Width), NumberStyles.Float, CultureInfo.InvariantCulture, out double w)
            ? w
            : throw new ArgumentException($"the run spec's '{Keys.Width}' is not a number: '{Field(Keys.Width)}'");
        int? weightBits = !parameters.TryGetValue(Keys.WeightBits, out var b) || b == "default" ? null : Integer(Keys.WeightBits);
        var spec = Create(Field(Keys.Model), Field(Keys.Protocol), Integer(Keys.RingBits), Integer(Keys.Scale), width, Field(Keys.Ot), weightBits,
            Field(Keys.Preprocess));
        if (parameters.TryGetValue(Keys.Fingerprint, out var fingerprint) && fingerprint != spec.Fingerprint)
            throw new ArgumentException($"the run spec's fingerprint {fingerprint} does not match its fields ({spec.Fingerprint})");
        return spec;
    }

    /// <summary>
    /// What differs between this spec and <paramref name="other"/>, field by field ("ell: 41 here, 32 there"), or
    /// null when they agree: the reason a server gives when it refuses a client's plan.
    /// </summary>
    public string? DifferenceFrom(RunSpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var mine = ToParameters();
        var theirs = other.ToParameters();
        var differences = mine.Keys.Where(k => k != Keys.Fingerprint && mine[k] != theirs[k])
            .Select(k => $"{k}: {mine[k]} here, {theirs[k]} there").ToArray();
        return differences.Length == 0 ? null : string.Join("; ", differences);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Model} (width {Width:R}) under {Protocol}, ℓ = {RingBits}, s = {Scale}, OT {Ot}, weight bits {WeightBitsText}, pre-processing {Preprocess.Name()}");
}
