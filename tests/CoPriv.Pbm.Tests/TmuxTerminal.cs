using System.Diagnostics;

namespace CoPriv.Pbm.Tests;

/// <summary>
/// One program in a detached tmux session on a private server socket: keys are sent as a user types them, the screen
/// read back with capture-pane. Disposal kills the tmux server (and the program with it).
/// </summary>
internal sealed class TmuxTerminal : IDisposable
{
    private readonly string _socket = $"pbm-test-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>
    /// Starts <paramref name="command"/>. Its pane stays after it exits, set in the same tmux call so that no exit
    /// comes first: without it the tmux server ends with the program, and a capture or key sent after an expected exit
    /// (after 'exit' + Enter) fails with "no server running"; with it a failure also shows the program's last screen.
    /// </summary>
    public TmuxTerminal(string command) =>
        Tmux("new-session", "-d", "-s", "pbm", "-x", "220", "-y", "60", command, ";", "set-option", "-t", "pbm", "remain-on-exit", "on");

    public void Type(string text) => Tmux("send-keys", "-t", "pbm", "-l", text);

    /// <summary>Named keys: Enter, Tab, Up, C-u…</summary>
    public void Press(string key) => Tmux("send-keys", "-t", "pbm", key);

    public string Screen() => Tmux("capture-pane", "-p", "-t", "pbm", "-S", "-200");

    /// <summary>Whether the program still runs in the pane.</summary>
    public bool IsRunning => Run(out var dead, "display-message", "-p", "-t", "pbm", "#{pane_dead}") == 0 && dead.Trim() == "0";

    public async Task<string> WaitForAsync(Func<string, bool> shown, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var screen = Screen();
            if (shown(screen)) return screen;
            if (deadline.Elapsed > timeout) throw new TimeoutException($"the terminal did not show what was expected within {timeout.TotalSeconds:0} s:\n{screen}");
            await Task.Delay(100);
        }
    }

    private string Tmux(params string[] args)
    {
        int exit = Run(out var output, args);
        if (exit != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)} exited with {exit}: {output}");
        return output;
    }

    private int Run(out string output, params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(info)!;
        output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000)) process.Kill();
        return process.ExitCode;
    }

    public void Dispose() => Run(out _, "kill-server");
}
