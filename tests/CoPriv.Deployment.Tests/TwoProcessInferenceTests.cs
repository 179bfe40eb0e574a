using System.Text.Json;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// Acceptance 7 of issue 10: a server process and a client process on loopback run a real secure inference, and it
/// is the inference `copriv run` runs in one process — same image, same class, same bytes on the wire.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class TwoProcessInferenceTests(SharedServer shared)
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void ServeAndInfer_PredictTheClassOfCoprivRun_WithTheSameBytesOnTheWire()
    {
        var server = shared.Server;
        int mark = server.LineCount;
        // Both commands draw their default image as InputImages.Random(shape, 1): infer's --image-seed 1, run's --seed 1.
        using var client = InferProcess.Start(server, ["--json"]);
        using var run = CoprivProcess.Start("copriv run", ["run", .. SharedServer.Spec, "--json", "--quiet"]);

        Assert.True(client.WaitForExit(SessionTimeout) == 0, client.Diagnosis);
        Assert.True(run.WaitForExit(SessionTimeout) == 0, run.Transcript);
        var remote = client.JsonReport();
        using var local = JsonDocument.Parse(string.Join('\n', run.StandardOutput));

        Assert.True(remote.GetProperty("predictionExact").GetBoolean(), client.Diagnosis);
        Assert.Equal(local.RootElement.GetProperty("input").GetString(), remote.GetProperty("input").GetString());
        Assert.Equal(local.RootElement.GetProperty("predictedClass").GetInt32(), remote.GetProperty("predictedClass").GetInt32());
        Assert.Equal(local.RootElement.GetProperty("totalBytes").GetInt64(), remote.GetProperty("totalBytes").GetInt64());
        var line = server.WaitForSessionLine(TimeSpan.FromSeconds(10), mark);
        Assert.Contains("completed", line);
    }
}
