namespace CoPriv.Inference.Planning;

/// <summary>
/// When a session runs its pre-processing: the OTs of every linear layer on the client's masks and the bit triples of
/// every comparison depend on no input, so a deployment runs them before the client has an image.
/// </summary>
public enum PreprocessMode
{
    /// <summary>
    /// All of it in the session's setup step, before the first layer (what a deployment does): every linear layer's
    /// OTs on a fresh mask and every non-linear call's bit triples, kept per party until the online phase uses them.
    /// The online phase then sends only the re-sharing flights, the comparisons and the multiplexers.
    /// </summary>
    Ahead,

    /// <summary>Each layer pre-processes when it runs, just before its online part; comparisons make their own triples.</summary>
    Inline,
}

/// <summary>The names of <see cref="PreprocessMode"/> as the command line, HOCON and the run spec write them.</summary>
public static class PreprocessModes
{
    public const string Ahead = "ahead";
    public const string Inline = "inline";

    public static IReadOnlyList<string> Names { get; } = [Ahead, Inline];

    public static string Name(this PreprocessMode mode) => mode == PreprocessMode.Ahead ? Ahead : Inline;

    /// <exception cref="ArgumentException">Neither name, in one line listing both.</exception>
    public static PreprocessMode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            Ahead => PreprocessMode.Ahead,
            Inline => PreprocessMode.Inline,
            _ => throw new ArgumentException($"unknown pre-processing mode '{text}'; expected {Ahead} or {Inline}"),
        };
    }
}
