namespace CoPriv.Cli;

/// <summary>
/// Keeps stdout for a command's report while an actor system runs in the process. Akka.Remote's transport writes some
/// warnings straight to the console (for instance while a connection shuts down), whatever the log settings say; in
/// a `--json` run such a line before or after the report breaks every script that parses it. <see cref="Claim"/>
/// sends everything written to <see cref="Console.Out"/> from then on to stderr and returns the real stdout, on which
/// only the report is written.
/// </summary>
internal static class ReportStdout
{
    public static TextWriter Claim()
    {
        var stdout = Console.Out;
        Console.SetOut(Console.Error);
        return stdout;
    }
}
