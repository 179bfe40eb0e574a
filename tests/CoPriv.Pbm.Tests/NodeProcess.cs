using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CoPriv.Pbm.Tests;

/// <summary>
/// A real <c>copriv</c> (or <c>pbm</c>) process started from this test's output directory, its stdout and stderr
/// collected line by line. Every wait is bounded; disposal kills the process tree for real.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private readonly object _gate = new();

    private NodeProcess(Process process) => _process = process;

    public static NodeProcess Copriv(IReadOnlyDictionary<string, string>? environment, params string[] args) => Start("copriv.dll", environment, args);

    public static NodeProcess Start(string dll, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var node = new NodeProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        node._process.OutputDataReceived += (_, e) => node.Append(node._stdout, e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(node._stderr, e.Data);
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        return node;
    }

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }
    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;

    private void Append(StringBuilder to, string? line)
    {
        if (line is null) return;
        lock (_gate) to.AppendLine(line);
    }

    /// <summary>The first match of <paramref name="pattern"/> in stdout or stderr, once it appears.</summary>
    public async Task<Match> WaitForAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var match = regex.Match(Stdout + Stderr);
            if (match.Success) return match;
            if (deadline.Elapsed > timeout || HasExited && !regex.IsMatch(Stdout + Stderr))
                throw new TimeoutException($"no line matching '{pattern}' within {timeout.TotalSeconds:0} s (exited: {HasExited})\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            await Task.Delay(100);
        }
    }

    /// <summary>The inspector's address from the "inspector listening on HOST:PORT" line.</summary>
    public async Task<string> InspectorAsync(TimeSpan timeout) =>
        (await WaitForAsync(@"inspector listening on (127\.0\.0\.1:\d+)", timeout)).Groups[1].Value;

    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }
        _process.Dispose();
    }
}
