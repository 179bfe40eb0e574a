namespace CoPriv.Cli.Tests;

/// <summary>
/// Runs `copriv` in-process as a user calls it and captures what it prints. Tests that use it share the "console"
/// collection, since the console is one per process.
/// </summary>
internal static class CliConsole
{
    public static (int Exit, string Out, string Error) Copriv(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        var (outWriter, errorWriter) = (new StringWriter(), new StringWriter());
        Console.SetOut(outWriter);
        Console.SetError(errorWriter);
        try
        {
            int exit = CliApp.Run(args);
            return (exit, outWriter.ToString(), errorWriter.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    /// <summary>A failed command: a non-zero exit and exactly one "copriv: error:" line containing <paramref name="expected"/>.</summary>
    public static void AssertOneErrorLine((int Exit, string Out, string Error) result, string expected)
    {
        Assert.NotEqual(0, result.Exit);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("copriv: error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }
}
