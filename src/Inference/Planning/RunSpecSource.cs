using System.Globalization;

namespace CoPriv.Inference.Planning;

/// <summary>
/// One layer of settings for a <see cref="RunSpec"/>: what one source (HOCON, the environment, the command line)
/// says, each field null where it says nothing. <see cref="RunSpec.Resolve"/> lays them over each other.
/// </summary>
/// <param name="Name">Where the settings came from ("hocon", "environment", "command line").</param>
public sealed record RunSpecSource(string Name)
{
    /// <summary>The environment variables <see cref="FromEnvironment"/> reads, by field.</summary>
    public static class Variables
    {
        public const string Model = "COPRIV_MODEL";
        public const string Protocol = "COPRIV_PROTOCOL";
        public const string RingBits = "COPRIV_ELL";
        public const string Scale = "COPRIV_SCALE";
        public const string Width = "COPRIV_WIDTH";
        public const string Ot = "COPRIV_OT";
        public const string WeightBits = "COPRIV_WEIGHT_BITS";
        public const string Preprocess = "COPRIV_PREPROCESS";
    }

    public string? Model { get; init; }
    public string? Protocol { get; init; }
    public int? RingBits { get; init; }
    public int? Scale { get; init; }
    public double? Width { get; init; }
    public string? Ot { get; init; }
    public int? WeightBits { get; init; }

    /// <summary>"ahead" or "inline" (<see cref="PreprocessMode"/>), checked by <see cref="RunSpec.Create"/>.</summary>
    public string? Preprocess { get; init; }

    /// <summary>This layer with <paramref name="upper"/>'s fields wherever upper has one.</summary>
    public RunSpecSource Over(RunSpecSource upper)
    {
        ArgumentNullException.ThrowIfNull(upper);
        return new RunSpecSource(upper.Name)
        {
            Model = upper.Model ?? Model,
            Protocol = upper.Protocol ?? Protocol,
            RingBits = upper.RingBits ?? RingBits,
            Scale = upper.Scale ?? Scale,
            Width = upper.Width ?? Width,
            Ot = upper.Ot ?? Ot,
            WeightBits = upper.WeightBits ?? WeightBits,
            Preprocess = upper.Preprocess ?? Preprocess,
        };
    }

    /// <summary>
    /// The fields set by <c>COPRIV_MODEL</c>, <c>COPRIV_PROTOCOL</c>, <c>COPRIV_ELL</c>, <c>COPRIV_SCALE</c>,
    /// <c>COPRIV_WIDTH</c>, <c>COPRIV_OT</c>, <c>COPRIV_WEIGHT_BITS</c> and <c>COPRIV_PREPROCESS</c> (empty counts as unset).
    /// </summary>
    /// <exception cref="ArgumentException">A number that does not parse, naming the variable.</exception>
    public static RunSpecSource FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string? Text(string variable) => read(variable) is { Length: > 0 } value ? value.Trim() : null;
        int? Integer(string variable) => Text(variable) is not { } text ? null
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value
            : throw new ArgumentException($"{variable}='{text}' is not an integer");
        return new RunSpecSource("environment")
        {
            Model = Text(Variables.Model),
            Protocol = Text(Variables.Protocol),
            RingBits = Integer(Variables.RingBits),
            Scale = Integer(Variables.Scale),
            Width = Text(Variables.Width) is not { } width ? null
                : double.TryParse(width, NumberStyles.Float, CultureInfo.InvariantCulture, out double w) ? w
                : throw new ArgumentException($"{Variables.Width}='{width}' is not a number"),
            Ot = Text(Variables.Ot),
            WeightBits = Integer(Variables.WeightBits),
            Preprocess = Text(Variables.Preprocess),
        };
    }
}
