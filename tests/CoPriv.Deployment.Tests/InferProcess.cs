using System.Text.Json;

namespace CoPriv.Deployment.Tests;

/// <summary>A running `copriv infer` against one server: its exit, its one error line, its JSON report.</summary>
internal sealed class InferProcess : CoprivProcess
{
    private InferProcess(System.Diagnostics.ProcessStartInfo info) : base("copriv infer", info) { }

    /// <summary>
    /// Starts `copriv infer --server ADDRESS --listen HOST:0` with <paramref name="arguments"/>; the server's certificate
    /// is pinned unless the arguments pin another or none.
    /// </summary>
    public static InferProcess Start(ServeProcess server, IEnumerable<string> arguments, string listenHost = "127.0.0.1",
        IReadOnlyDictionary<string, string>? environment = null, string? networkNamespace = null, string? serverAddress = null)
    {
        var args = arguments.ToList();
        if (!args.Contains("--server-fingerprint") && !args.Contains("--insecure")) args.AddRange(["--server-fingerprint", server.Fingerprint]);
        return new InferProcess(CoprivExecutable.StartInfo(
            ["infer", "--server", serverAddress ?? server.Address, "--listen", $"{listenHost}:0", .. args], environment, networkNamespace));
    }

    /// <summary>The `copriv: error: …` line, or null.</summary>
    public string? ErrorLine => StandardError.FirstOrDefault(l => l.StartsWith("copriv: error: ", StringComparison.Ordinal));

    /// <summary>
    /// The --json report. Akka's log lines share stdout with it (each written whole), so the report is the block from a
    /// line "{" to the next line "}".
    /// </summary>
    public JsonElement JsonReport()
    {
        var lines = StandardOutput.ToList();
        int start = lines.IndexOf("{");
        int end = start < 0 ? -1 : lines.IndexOf("}", start);
        if (end < 0) throw new InvalidOperationException($"copriv infer printed no JSON report:\n{Transcript}");
        using var document = JsonDocument.Parse(string.Join('\n', lines.Skip(start).Take(end - start + 1)));
        return document.RootElement.Clone();
    }
}
