using System.Text.Json;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// Acceptance 3 of issue 10, scale out: one cluster of two server nodes and one client node (three processes); the
/// client's four concurrent sessions are spread over both servers, and each result is what `copriv run` computes in
/// one process for the same image.
/// </summary>
public sealed class ScaleOutTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(180);
    private readonly TemporaryDirectory _first = new(), _second = new();

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public void TwoServersShareFourConcurrentSessions_AndEachPredictsTheClassOfCoprivRun()
    {
        using var first = ServeProcess.Start(_first.Path, SharedServer.Spec);
        using var second = ServeProcess.Start(_second.Path, [.. SharedServer.Spec, "--seed-nodes", first.Address]);
        first.WaitForLine(l => l.Contains($"moving node [{second.NodeAddress}] to [Up]", StringComparison.Ordinal), Bound,
            "the second server is Up in the cluster");

        using var client = InferProcess.Start(first, ["--sessions", "4", "--json", "--server-fingerprint", $"{first.Fingerprint},{second.Fingerprint}"]);
        Assert.True(client.WaitForExit(Bound) == 0, client.Diagnosis);
        var sessions = client.JsonReport().EnumerateArray().ToArray();
        Assert.Equal(4, sessions.Length);
        for (int k = 0; k < sessions.Length; k++)
        {
            Assert.True(sessions[k].GetProperty("predictionExact").GetBoolean(), client.Diagnosis);
            // Session k's image is the random image of seed 1 + k, which `copriv run --seed 1+k` also draws.
            using var run = CoprivProcess.Start("copriv run", ["run", .. SharedServer.Spec, "--seed", $"{1 + k}", "--json", "--quiet"]);
            Assert.True(run.WaitForExit(Bound) == 0, run.Transcript);
            using var local = JsonDocument.Parse(string.Join('\n', run.StandardOutput));
            Assert.Equal(local.RootElement.GetProperty("input").GetString(), sessions[k].GetProperty("input").GetString());
            Assert.Equal(local.RootElement.GetProperty("predictedClass").GetInt32(), sessions[k].GetProperty("predictedClass").GetInt32());
            Assert.Equal(local.RootElement.GetProperty("totalBytes").GetInt64(), sessions[k].GetProperty("totalBytes").GetInt64());
        }
        // Both servers served: each logged at least one completed session.
        Assert.Contains("completed", first.WaitForSessionLine(TimeSpan.FromSeconds(10), 0));
        Assert.Contains("completed", second.WaitForSessionLine(TimeSpan.FromSeconds(10), 0));
    }
}
