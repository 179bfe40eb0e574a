namespace CoPriv.Inference.Planning;

/// <summary>The OT backends a run spec may name.</summary>
public static class OtBackends
{
    public const string Default = "iknp";

    public static IReadOnlyList<string> Names { get; } = [Default];

    /// <summary>The backend's canonical name, or one line listing the known ones.</summary>
    public static string Check(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string canonical = name.Trim().ToLowerInvariant();
        return Names.Contains(canonical) ? canonical
            : throw new ArgumentException($"unknown OT backend '{name}'; known backends: {string.Join(", ", Names)}");
    }
}
