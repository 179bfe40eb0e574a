using System.Text.Json;

namespace CoPriv.Deployment.Tests;

/// <summary>A running `copriv infer` against one server: its exit, its one error line, its JSON report.</summary>
internal sealed class InferProcess : CoprivProcess
{
    private readonly ServeProcess _server;

    private InferProcess(ServeProcess server, System.Diagnostics.ProcessStartInfo info) : base("copriv infer", info) => _server = server;

    /// <summary>A client's failure often starts at its server (which may have exited): show the server's state too.</summary>
    protected override string Related => "\n-- " + _server.StateAndTail(40);

    /// <summary>
    /// Starts `copriv infer --server ADDRESS --listen HOST:0` with <paramref name="arguments"/>; the server's certificate
    /// is pinned unless the arguments pin another or none.
    /// </summary>
    public static InferProcess Start(ServeProcess server, IEnumerable<string> arguments, string listenHost = "127.0.0.1",
        IReadOnlyDictionary<string, string>? environment = null, string? networkNamespace = null, string? serverAddress = null)
    {
        var args = arguments.ToList();
        if (!args.Contains("--server-fingerprint") && !args.Contains("--insecure")) args.AddRange(["--server-fingerprint", server.Fingerprint]);
        return new InferProcess(server, CoprivExecutable.StartInfo(
            ["infer", "--server", serverAddress ?? server.Address, "--listen", $"{listenHost}:0", .. args], environment, networkNamespace));
    }

    /// <summary>The `copriv: error: …` line, or null.</summary>
    public string? ErrorLine => StandardError.FirstOrDefault(l => l.StartsWith("copriv: error: ", StringComparison.Ordinal));

    /// <summary>Asserts that the error line contains <paramref name="expected"/>, showing the whole diagnosis if not.</summary>
    public void AssertErrorContains(string expected) =>
        Xunit.Assert.True(ErrorLine?.Contains(expected, StringComparison.Ordinal) == true,
            $"expected an error line containing \"{expected}\":\n{Diagnosis}");

    /// <summary>The --json report: stdout holds it and nothing else (every log line goes to stderr).</summary>
    public JsonElement JsonReport()
    {
        try
        {
            using var document = JsonDocument.Parse(string.Join('\n', StandardOutput));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"copriv infer's stdout is not one JSON report ({e.Message}):\n{Diagnosis}", e);
        }
    }
}
