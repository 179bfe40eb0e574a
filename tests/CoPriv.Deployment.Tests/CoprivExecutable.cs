using System.Diagnostics;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// The `copriv` executable built from src/Cli in the same configuration as these tests (the project reference builds
/// it first), started as its own process with `dotnet copriv.dll`, optionally inside a network namespace.
/// </summary>
internal static class CoprivExecutable
{
    private static readonly Lazy<string> Dll = new(Locate);

    /// <summary>
    /// A start description of `copriv <paramref name="arguments"/>`: output redirected, no inherited COPRIV_* settings
    /// (a developer's shell must not change what a test runs), <paramref name="environment"/> added.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        string? networkNamespace = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No terminal and no keyboard: copriv must not wait for input or draw for a console it does not have.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (networkNamespace is null)
        {
            info.FileName = "dotnet";
        }
        else
        {
            // `ip netns exec` execs the command in place, so the process id stays the copriv process's.
            info.FileName = "ip";
            foreach (var arg in new[] { "netns", "exec", networkNamespace, "dotnet" }) info.ArgumentList.Add(arg);
        }
        info.ArgumentList.Add(Dll.Value);
        foreach (var arg in arguments) info.ArgumentList.Add(arg);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("COPRIV_", StringComparison.Ordinal)).ToArray())
            info.Environment.Remove(name);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return info;
    }

    /// <summary>src/Cli/bin/&lt;configuration&gt;/&lt;framework&gt;/copriv.dll of the repository these tests were built in.</summary>
    private static string Locate()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = testOutput.Name, configuration = testOutput.Parent!.Name;
        for (var dir = testOutput; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "CoPriv.sln"))) continue;
            var dll = Path.Combine(dir.FullName, "src", "Cli", "bin", configuration, framework, "copriv.dll");
            return File.Exists(dll) ? dll
                : throw new FileNotFoundException($"copriv is not built at {dll}; build the solution in {configuration} first", dll);
        }
        throw new DirectoryNotFoundException($"no CoPriv.sln above {testOutput.FullName}");
    }
}
