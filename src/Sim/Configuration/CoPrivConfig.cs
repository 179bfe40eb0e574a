using Akka.Configuration;
using CoPriv.Actors.Hosting;

namespace CoPriv.Sim.Configuration;

/// <summary>
/// The HOCON a CoPriv process runs with: the repository's hocon/ files layered as Akka does it (the role's file over
/// presets.conf over base.conf), over the actor runtime's embedded defaults (<see cref="ActorsConfig.Defaults"/>).
/// A node of a deployment (<c>copriv serve</c>, <c>copriv infer</c>) adds cluster.conf over its role's file, and the
/// environment variable <c>COPRIV_HOCON</c> (HOCON text) overrides any setting of the files. Command-line options are
/// applied on top by the caller. A file (or the variable) that is missing or does not parse fails with one message
/// naming it.
/// </summary>
public static class CoPrivConfig
{
    /// <summary>The files of a hocon directory, lowest precedence first; the role's file comes last.</summary>
    public static IReadOnlyList<string> BaseFiles { get; } = ["base.conf", "presets.conf"];

    /// <summary>Where the CLI looks when no directory is given: hocon/ beside the executable, then in the working directory.</summary>
    public static string DefaultDirectory()
    {
        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, "hocon"), Path.Combine(Environment.CurrentDirectory, "hocon") })
            if (File.Exists(Path.Combine(candidate, "base.conf"))) return candidate;
        return Path.Combine(AppContext.BaseDirectory, "hocon");
    }

    /// <summary>The environment variable whose HOCON text overrides the files.</summary>
    public const string EnvironmentVariable = "COPRIV_HOCON";

    /// <summary>
    /// Loads base.conf and presets.conf from <paramref name="directory"/>, then <paramref name="role"/>.conf
    /// ("server", "client"; null for none) and, for a cluster node, cluster.conf, then <c>COPRIV_HOCON</c>; falls back
    /// to the actor runtime's defaults.
    /// </summary>
    /// <exception cref="FormatException">A file is missing, unreadable or not valid HOCON; the message names it.</exception>
    public static Config Load(string directory, string? role = null, bool cluster = false, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var files = role is null ? BaseFiles : [.. BaseFiles, $"{role}.conf"];
        if (cluster) files = [.. files, "cluster.conf"];
        var config = ActorsConfig.Defaults;
        foreach (var file in files)
            config = ParseFile(Path.Combine(directory, file)).WithFallback(config);
        if ((environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable) is { Length: > 0 } overrides)
            config = Parse(overrides, $"the environment variable {EnvironmentVariable}").WithFallback(config);
        return config;
    }

    /// <summary>Parses one HOCON file, failing with one line that names it and says what is wrong.</summary>
    public static Config ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read HOCON file '{path}': {FirstLine(e.Message)}", e);
        }
        return Parse(text, $"HOCON file '{path}'");
    }

    private static Config Parse(string text, string what)
    {
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FormatException($"{what} is not valid: {FirstLine(e.Message)}", e);
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
