using System.Text.Json;
using CoPriv.Models.Inputs;
using static CoPriv.Cli.Tests.CliConsole;

namespace CoPriv.Cli.Tests;

/// <summary>
/// `copriv optimize` as a user calls it, on reduced-width networks and a few training images: the optimized model it
/// writes runs securely bit-exact and costs what the report says; bad input is one line, exit 2, nothing written.
/// </summary>
[Collection("console")]
public sealed class OptimizeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("copriv-optimize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonElement Json(string stdout) => JsonDocument.Parse(stdout).RootElement.Clone();

    /// <summary>A CIFAR batch whose class is the image's brightness band, so held-out accuracy means something.</summary>
    private string CifarFile(CifarDataset dataset, int records, int classes, string name = "train.bin")
    {
        var random = new Random(7);
        int row = CifarBatchFile.RowBytes(dataset), pixels = CifarBatchFile.PixelBytes;
        var bytes = new byte[records * row];
        for (int i = 0; i < records; i++)
        {
            int label = random.Next(classes), offset = i * row;
            if (dataset == CifarDataset.Cifar100) bytes[offset++] = 0;
            bytes[offset++] = (byte)label;
            for (int p = 0; p < pixels; p++) bytes[offset + p] = (byte)Math.Clamp(label * 255 / classes + random.Next(24), 0, 255);
        }
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void CoprivMethod_OnCifarData_WritesAMergedModel_ThatRunsBitExact_AndCostsWhatTheReportSays()
    {
        string data = CifarFile(CifarDataset.Cifar100, 160, 4), model = Path.Combine(_dir, "m.onnx");
        var (exit, stdout, stderr) = Copriv("optimize", "--model", "mobilenetv2", "--width", "0.125", "--keep", "0.5", "--data", data,
            "--epochs", "1", "--batch", "32", "--out", model, "--json");
        Assert.True(exit == 0, stderr);
        var report = Json(stdout);
        Assert.Equal("cifar", report.GetProperty("dataSource").GetString());
        Assert.Equal("held-out accuracy", report.GetProperty("accuracyKind").GetString());
        Assert.InRange(report.GetProperty("accuracyAfter").GetDouble(), 0, 1);
        Assert.True(report.GetProperty("imagesPerSecond").GetDouble() > 0);
        var blocks = report.GetProperty("blocks").EnumerateArray().ToArray();
        Assert.Equal(19, blocks.Length);
        Assert.Equal(19 - (int)Math.Floor(0.5 * 19), blocks.Count(b => b.GetProperty("removed").GetBoolean()));
        Assert.Contains("search", stderr);
        Assert.Contains("finetune", stderr);

        var copriv = report.GetProperty("communication").EnumerateArray().Single(c => c.GetProperty("protocol").GetString() == "copriv");
        var cost = Copriv("cost", "--model", model, "--protocol", "copriv", "--json");
        Assert.Equal(0, cost.Exit);
        Assert.Equal(copriv.GetProperty("optimized").GetProperty("totalBytes").GetInt64(), Json(cost.Out).GetProperty("totalBytes").GetInt64());
        Assert.True(copriv.GetProperty("totalReduction").GetDouble() > 1);

        var run = Copriv("run", "--model", model, "--protocol", "copriv", "--json");
        Assert.True(run.Exit == 0, run.Error);
        Assert.True(Json(run.Out).GetProperty("matchesReference").GetBoolean());
        Assert.True(Json(run.Out).GetProperty("predictionExact").GetBoolean());
    }

    [Fact]
    public void SnlMethod_KeepsTheReluBudget_AndItsChannelMaskedModelRunsBitExact()
    {
        string model = Path.Combine(_dir, "snl.onnx");
        var (exit, stdout, stderr) = Copriv("optimize", "--model", "resnet32", "--width", "0.125", "--method", "snl", "--keep", "0.4",
            "--images", "32", "--epochs", "1", "--batch", "16", "--out", model, "--json");
        Assert.True(exit == 0, stderr);
        var report = Json(stdout);
        Assert.Equal("teacher agreement", report.GetProperty("accuracyKind").GetString());
        long before = report.GetProperty("reluCountBefore").GetInt64(), after = report.GetProperty("reluCountAfter").GetInt64();
        Assert.InRange(after, 1, (long)(0.4 * before));
        Assert.Equal(after, report.GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("reluCount").GetInt64()));

        var run = Copriv("run", "--model", model, "--protocol", "cryptflow2", "--json");
        Assert.True(run.Exit == 0, run.Error);
        Assert.True(Json(run.Out).GetProperty("matchesReference").GetBoolean());
        Assert.True(Json(run.Out).GetProperty("predictionExact").GetBoolean());
    }

    [Fact]
    public void Sweep_ChartsCommunicationAgainstAccuracy_ForFiveKeeps()
    {
        string model = Path.Combine(_dir, "s.onnx"), chart = Path.Combine(_dir, "sweep.png");
        var (exit, stdout, stderr) = Copriv("optimize", "--model", "resnet32", "--width", "0.125", "--keep", "0.6", "--images", "16",
            "--epochs", "1", "--batch", "16", "--out", model, "--sweep", chart, "--json");
        Assert.True(exit == 0, stderr);
        var sweep = Json(stdout).GetProperty("sweep").EnumerateArray().ToArray();
        Assert.Equal([0.2, 0.4, 0.6, 0.8, 1.0], sweep.Select(p => p.GetProperty("keep").GetDouble()));
        // Keeping more gates never costs less.
        var totals = sweep.Select(p => p.GetProperty("totalBytes").GetInt64()).ToArray();
        Assert.Equal(totals.Order(), totals);
        Assert.Equal(0x89, File.ReadAllBytes(chart)[0]);
    }

    [Theory]
    [InlineData("0", "--keep must be a fraction in (0, 1]")]
    [InlineData("1.5", "--keep must be a fraction in (0, 1]")]
    [InlineData("NaN", "--keep must be a fraction in (0, 1]")]
    public void KeepOutsideTheUnitInterval_IsOneErrorLine_AndNothingIsWritten(string keep, string expected)
    {
        string model = Path.Combine(_dir, "never.onnx");
        var result = Copriv("optimize", "--model", "resnet32", "--width", "0.125", "--keep", keep, "--out", model);
        AssertOneErrorLine(result, expected);
        Assert.Equal(2, result.Exit);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void BadDataFiles_UnsupportedModels_AndModelsWithoutBlocks_AreOneErrorLine_AndNothingIsWritten()
    {
        string model = Path.Combine(_dir, "never.onnx");
        string truncated = Path.Combine(_dir, "short.bin");
        File.WriteAllBytes(truncated, new byte[CifarBatchFile.RowBytes(CifarDataset.Cifar10) * 3 + 5]);
        var badData = Copriv("optimize", "--model", "resnet32", "--width", "0.125", "--keep", "0.5", "--data", truncated, "--out", model);
        AssertOneErrorLine(badData, "short.bin");
        Assert.Equal(2, badData.Exit);

        string gelu = Path.Combine(_dir, "gelu.onnx");
        File.WriteAllBytes(gelu, [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
        var notOnnx = Copriv("optimize", "--model", gelu, "--keep", "0.5", "--out", model);
        AssertOneErrorLine(notOnnx, "not a valid ONNX model");
        Assert.Equal(2, notOnnx.Exit);

        var noBlocks = Copriv("optimize", "--model", "minionn", "--width", "0.25", "--keep", "0.5", "--out", model);
        AssertOneErrorLine(noBlocks, "cannot be split into activation blocks");
        Assert.Equal(2, noBlocks.Exit);
        Assert.False(File.Exists(model));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(_dir, ".*")));
    }
}
