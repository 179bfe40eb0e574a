using System.Text.Json;
using CoPriv.Models.Onnx;
using CoPriv.Models.Zoo;
using static CoPriv.Cli.Tests.CliConsole;

namespace CoPriv.Cli.Tests;

/// <summary>
/// `--model FILE.onnx` in `run`, `cost` and `simulate`: a user's own network runs like a zoo model, costs what the
/// same architecture costs, and a file CoPriv cannot run is one error line with exit code 2.
/// </summary>
[Collection("console")]
public sealed class ModelFileCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("copriv-model-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An eighth-width ResNet-32 (SCI's) saved as a user's trained network would be.</summary>
    private string SavedModel(string name = "r32.onnx")
    {
        string path = Path.Combine(_dir, name);
        OnnxExporter.Save(ModelZoo.Create("resnet32-sci", new ZooOptions(Seed: 5, WidthMultiplier: 0.125)), path);
        return path;
    }

    private static JsonElement Json(string stdout) => JsonDocument.Parse(stdout).RootElement.Clone();

    [Theory]
    [InlineData("copriv")]
    [InlineData("cryptflow2")]
    public void Cost_OfAModelFile_IsTheCostOfTheSameZooArchitecture(string protocol)
    {
        var file = Copriv("cost", "--model", SavedModel(), "--protocol", protocol, "--json");
        var zoo = Copriv("cost", "--model", "resnet32-sci", "--width", "0.125", "--protocol", protocol, "--json");
        Assert.Equal(0, file.Exit);
        Assert.Equal(0, zoo.Exit);
        foreach (var field in new[] { "totalBytes", "preprocessingBytes", "onlineBytes", "rounds" })
            Assert.Equal(Json(zoo.Out).GetProperty(field).GetInt64(), Json(file.Out).GetProperty(field).GetInt64());
    }

    [Fact]
    public void Run_OfAModelFile_MatchesTheReference_WithTheCostModelEqualToTheMeters()
    {
        var (exit, stdout, stderr) = Copriv("run", "--model", SavedModel(), "--protocol", "copriv", "--json");
        Assert.True(exit == 0, stderr);
        var root = Json(stdout);
        Assert.True(root.GetProperty("matchesReference").GetBoolean());
        Assert.True(root.GetProperty("predictionExact").GetBoolean());
        Assert.Equal(root.GetProperty("predicted").GetProperty("totalBytes").GetInt64(), root.GetProperty("totalBytes").GetInt64());
    }

    [Fact]
    public void Simulate_TakesAModelFile_AndNamesItsOutputAfterTheFile()
    {
        string out_ = Path.Combine(_dir, "sim");
        var (exit, stdout, stderr) = Copriv("simulate", "--model", SavedModel(), "--protocol", "copriv", "--network", "lan", "--json", "--out", out_);
        Assert.True(exit == 0, stderr);
        Assert.Equal(["copriv"], Json(stdout).GetProperty("protocols").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(File.Exists(Path.Combine(out_, "report.json")));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("cost")]
    [InlineData("simulate")]
    public void AFileCoPrivCannotRun_IsOneErrorLine_AndExitCode2(string command)
    {
        string garbage = Path.Combine(_dir, "garbage.onnx");
        File.WriteAllBytes(garbage, [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
        // Same-length op_type strings keep the protobuf valid: every ReLU becomes a GELU.
        string gelu = Path.Combine(_dir, "gelu.onnx");
        File.WriteAllBytes(gelu, ReplaceAll(File.ReadAllBytes(SavedModel()), "Relu"u8, "Gelu"u8));
        string[] extra = command == "simulate" ? ["--out", Path.Combine(_dir, "never")] : [];

        var notOnnx = Copriv([command, "--model", garbage, "--protocol", "copriv", .. extra]);
        AssertOneErrorLine(notOnnx, $"model '{garbage}': not a valid ONNX model");
        Assert.Equal(2, notOnnx.Exit);
        var unsupported = Copriv([command, "--model", gelu, "--protocol", "copriv", .. extra]);
        AssertOneErrorLine(unsupported, "uses operator 'Gelu', which CoPriv does not support; supported: Conv");
        Assert.Equal(2, unsupported.Exit);
        var missing = Copriv([command, "--model", Path.Combine(_dir, "absent.onnx"), "--protocol", "copriv", .. extra]);
        AssertOneErrorLine(missing, "absent.onnx' does not exist");
        Assert.Equal(2, missing.Exit);
        var width = Copriv([command, "--model", SavedModel(), "--protocol", "copriv", "--width", "0.5", .. extra]);
        AssertOneErrorLine(width, "channel counts are fixed");
        Assert.Equal(2, width.Exit);
        Assert.False(Directory.Exists(Path.Combine(_dir, "never")));
    }

    private static byte[] ReplaceAll(byte[] bytes, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        var copy = (byte[])bytes.Clone();
        for (int i = copy.AsSpan().IndexOf(from); i >= 0; i = copy.AsSpan().IndexOf(from))
            to.CopyTo(copy.AsSpan(i));
        return copy;
    }
}
