using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// One running `copriv` process: its stdout and stderr collected line by line as they come, bounded waits for a line or for the exit, and signals. Disposing kills the process tree for real, so a
/// failing assertion never leaves a server behind.
/// </summary>
internal class CoprivProcess : IDisposable
{
    private const int SigStop = 19, SigCont = 18;

    private readonly Process _process;
    private readonly List<(bool Error, string Text)> _lines = [];
    private readonly string _name;
    private int _streamsEnded;

    protected CoprivProcess(string name, ProcessStartInfo info)
    {
        _name = name;
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Collect(e.Data, error: false);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data, error: true);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Id = _process.Id;
    }

    public static CoprivProcess Start(string name, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        string? networkNamespace = null) =>
        new(name, CoprivExecutable.StartInfo(arguments, environment, networkNamespace));

    public int Id { get; }

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StandardOutput => Lines(error: false);

    public IReadOnlyList<string> StandardError => Lines(error: true);

    /// <summary>Both streams, in arrival order: what an assertion message shows.</summary>
    public string Transcript
    {
        get
        {
            lock (_lines) return TranscriptUnlocked();
        }
    }

    /// <summary>
    /// What a failure message adds after this process's own transcript: the state of a process it depends on (a
    /// client's server), so that a failure caused by the other process says so. Empty by default.
    /// </summary>
    protected virtual string Related => "";

    /// <summary>"running" or "exited N", and the last <paramref name="count"/> lines of both streams.</summary>
    public string StateAndTail(int count)
    {
        string state = _process.HasExited ? $"exited {_process.ExitCode}" : "running";
        lock (_lines)
        {
            var text = new StringBuilder($"{_name} (pid {Id}) {state}; its last lines:\n");
            foreach (var (error, line) in _lines.Skip(Math.Max(0, _lines.Count - count)))
                text.Append(error ? "err| " : "out| ").Append(line).Append('\n');
            return text.ToString();
        }
    }

    /// <summary>The transcript and what <see cref="Related"/> adds: what a failed assertion about this process shows.</summary>
    public string Diagnosis => Transcript + Related;

    /// <summary>How many lines have arrived so far: a mark for <see cref="WaitForLine"/>'s <c>after</c>.</summary>
    public int LineCount
    {
        get
        {
            lock (_lines) return _lines.Count;
        }
    }

    /// <summary>
    /// The first line (of either stream, from line number <paramref name="after"/> on) that <paramref name="match"/>
    /// accepts; waits at most <paramref name="timeout"/>, and fails at once if the process ends
    /// without printing it.
    /// </summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout, string what, int after = 0)
    {
        var clock = Stopwatch.StartNew();
        lock (_lines)
        {
            while (true)
            {
                for (int i = after; i < _lines.Count; i++)
                    if (match(_lines[i].Text)) return _lines[i].Text;
                if (clock.Elapsed >= timeout)
                    throw new TimeoutException($"{_name} printed no {what} within {timeout.TotalSeconds:0.#} s:\n{TranscriptUnlocked()}{Related}");
                if (_streamsEnded == 2)
                    throw new InvalidOperationException($"{_name} ended (exit {_process.ExitCode}) without printing {what}:\n{TranscriptUnlocked()}{Related}");
                Monitor.Wait(_lines, TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>The exit code, once the process has ended and its output is read; at most <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            _process.WaitForExitAsync(cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_name} did not exit within {timeout.TotalSeconds:0.#} s:\n{Transcript}{Related}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as `kill -9`: the process gets no chance to say goodbye.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGSTOP: the process (and every thread that would send or answer) freezes, its sockets stay open.</summary>
    public void Freeze() => Signal(SigStop);

    /// <summary>The process's resident set (VmRSS): what it holds in memory.</summary>
    public long ResidentBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // A frozen process dies of SIGKILL too; continue it anyway so no stopped zombie outlives the test.
                Signal(SigCont);
                _process.Kill(entireProcessTree: true);
            }
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        _process.Dispose();
    }

    private void Collect(string? text, bool error)
    {
        lock (_lines)
        {
            if (text is null) _streamsEnded++;
            else _lines.Add((error, text));
            Monitor.PulseAll(_lines);
        }
    }

    private List<string> Lines(bool error)
    {
        lock (_lines) return _lines.Where(l => l.Error == error).Select(l => l.Text).ToList();
    }

    private string TranscriptUnlocked()
    {
        var text = new StringBuilder();
        foreach (var (error, line) in _lines) text.Append(error ? "err| " : "out| ").Append(line).Append('\n');
        return text.ToString();
    }

    private void Signal(int signal)
    {
        if (SendSignal(Id, signal) != 0 && !_process.HasExited)
            throw new InvalidOperationException($"signal {signal} to {_name} (pid {Id}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
