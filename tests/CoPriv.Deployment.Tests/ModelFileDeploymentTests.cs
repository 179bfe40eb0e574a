using System.Text.Json;
using CoPriv.Models.Onnx;
using CoPriv.Models.Zoo;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// `copriv serve --model FILE.onnx`: the server holds a user's trained network, the client plans from the weight-free
/// architecture in the offer (the file is deleted once the server has loaded it, so a client that read it would fail),
/// and the inference is the one `copriv run` runs on the same file — same class, same bytes.
/// </summary>
public sealed class ModelFileDeploymentTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private readonly TemporaryDirectory _state = new();
    private readonly TemporaryDirectory _models = new();

    public void Dispose()
    {
        _state.Dispose();
        _models.Dispose();
    }

    [Fact]
    public void ServingAModelFile_GivesTheClientThePlanButNotTheWeights_AndTheClassCoprivRunPredicts()
    {
        string file = Path.Combine(_models.Path, "trained.onnx");
        OnnxExporter.Save(ModelZoo.Create("minionn", new ZooOptions(Seed: 3, WidthMultiplier: 0.25)), file, "CIFAR-10");
        string[] spec = ["--model", file, "--protocol", "copriv"];
        using var run = CoprivProcess.Start("copriv run", ["run", .. spec, "--json", "--quiet"]);
        Assert.True(run.WaitForExit(Bound) == 0, run.Transcript);
        using var local = JsonDocument.Parse(string.Join('\n', run.StandardOutput));

        using var server = ServeProcess.Start(_state.Path, spec);
        File.Delete(file);
        int mark = server.LineCount;
        using var client = InferProcess.Start(server, ["--json"]);

        Assert.True(client.WaitForExit(Bound) == 0, client.Diagnosis);
        var remote = client.JsonReport();
        Assert.True(remote.GetProperty("predictionExact").GetBoolean(), client.Diagnosis);
        Assert.Equal(local.RootElement.GetProperty("model").GetString(), remote.GetProperty("model").GetString());
        Assert.Equal(local.RootElement.GetProperty("predictedClass").GetInt32(), remote.GetProperty("predictedClass").GetInt32());
        Assert.Equal(local.RootElement.GetProperty("totalBytes").GetInt64(), remote.GetProperty("totalBytes").GetInt64());
        Assert.Contains("completed", server.WaitForSessionLine(TimeSpan.FromSeconds(10), mark));

        // The client learns the file's name, never where it lies on the server: what it says it was offered.
        using var plain = InferProcess.Start(server, []);
        Assert.True(plain.WaitForExit(Bound) == 0, plain.Diagnosis);
        Assert.Contains(plain.StandardError, l => l.Contains(" serves ") && l.Contains("trained.onnx"));
        Assert.DoesNotContain(plain.StandardError.Concat(plain.StandardOutput), l => l.Contains(_models.Path));
    }
}
