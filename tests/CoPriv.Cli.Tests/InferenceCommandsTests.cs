using System.Text.Json;
using static CoPriv.Cli.Tests.CliConsole;

namespace CoPriv.Cli.Tests;

/// <summary>`copriv run`, `cost` and `models` as a user calls them: exit codes, the one error line, the JSON fields.</summary>
[Collection("console")]
public sealed class InferenceCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("copriv-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Every command's help renders: a description with markup characters (`[HOST:]PORT`) once threw.</summary>
    [Theory]
    [InlineData("run")]
    [InlineData("cost")]
    [InlineData("simulate")]
    [InlineData("serve")]
    [InlineData("infer")]
    [InlineData("models")]
    [InlineData("optimize")]
    [InlineData("bench", "ot")]
    [InlineData("bench", "relu")]
    [InlineData("bench", "transport")]
    [InlineData("bench", "conv")]
    public void Every_command_prints_its_help(params string[] command)
    {
        var (exit, _, error) = Copriv([.. command, "--help"]);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("Exception", error);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("cost")]
    public void UnknownModelOrProtocol_IsOneErrorLine_AndANonZeroExit(string command)
    {
        AssertOneErrorLine(Copriv(command, "--model", "resnet99", "--protocol", "copriv"), "unknown model 'resnet99'");
        AssertOneErrorLine(Copriv(command, "--model", "minionn", "--protocol", "gazelle"), "unknown protocol 'gazelle'");
        AssertOneErrorLine(Copriv(command, "--protocol", "copriv"), "--model is required");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("cost")]
    public void FixedPointFormatsTheModelCannotUse_AreOneErrorLine(string command)
    {
        AssertOneErrorLine(Copriv(command, "--model", "minionn", "--protocol", "copriv", "--ell", "26", "--scale", "12"), "no integer bits");
        AssertOneErrorLine(Copriv(command, "--model", "minionn", "--protocol", "cryptflow2", "--ell", "100"), "ring bits");
    }

    [Fact]
    public void InputFilesOfTheWrongSizeOrFormat_AreOneErrorLine()
    {
        string bin = Path.Combine(_dir, "short.bin");
        File.WriteAllBytes(bin, new byte[1000]);
        AssertOneErrorLine(Copriv("run", "--model", "minionn", "--protocol", "copriv", "--input", bin), "not a whole number of Cifar10 rows");
        string gif = Path.Combine(_dir, "image.gif");
        File.WriteAllBytes(gif, new byte[3072]);
        AssertOneErrorLine(Copriv("run", "--model", "minionn", "--protocol", "copriv", "--input", gif), "unknown format");
        string png = Path.Combine(_dir, "image.png");
        File.WriteAllBytes(png, new byte[3072]);
        AssertOneErrorLine(Copriv("run", "--model", "minionn", "--protocol", "copriv", "--input", png), "neither a PNG nor a PPM");
        string raw = Path.Combine(_dir, "one.f32");
        File.WriteAllBytes(raw, new byte[3072 * 4]);
        AssertOneErrorLine(Copriv("run", "--model", "minionn", "--protocol", "copriv", "--input", raw, "--index", "3"), "index 3 is past");
        AssertOneErrorLine(Copriv("run", "--model", "minionn", "--protocol", "copriv", "--input", Path.Combine(_dir, "none.bin")), "does not exist");
    }

    [Fact]
    public void CostJson_HasTheIssuesFields_AndPerLayerDetail()
    {
        var (exit, stdout, _) = Copriv("cost", "--model", "resnet32-sci", "--protocol", "cryptflow2", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        long total = root.GetProperty("totalBytes").GetInt64();
        Assert.Equal(total, root.GetProperty("preprocessingBytes").GetInt64() + root.GetProperty("onlineBytes").GetInt64());
        Assert.True(root.GetProperty("rounds").GetInt64() > 0);
        Assert.True(root.GetProperty("layers").GetArrayLength() > 100);
        Assert.Equal("prediction", root.GetProperty("kind").GetString());
    }

    [Fact]
    public void RunJson_OfAReducedWidthModel_MatchesTheReference_AndHasTheIssuesFields()
    {
        string markdown = Path.Combine(_dir, "report.md");
        var (exit, stdout, stderr) = Copriv("run", "--model", "resnet32-sci", "--width", "0.125", "--protocol", "copriv", "--json",
            "--markdown", markdown);
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        foreach (var field in new[] { "totalBytes", "preprocessingBytes", "onlineBytes", "seconds", "setupBytes", "rounds", "peakMemoryBytes", "layers" })
            Assert.True(root.TryGetProperty(field, out _), field);
        Assert.True(root.GetProperty("matchesReference").GetBoolean());
        Assert.True(root.GetProperty("predictionExact").GetBoolean());
        Assert.InRange(root.GetProperty("predictedClass").GetInt32(), 0, 99);
        // Progress goes to stderr, one line per layer, and never into the JSON.
        Assert.Equal(root.GetProperty("layers").GetArrayLength(), stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("## Layers", File.ReadAllText(markdown));
    }

    [Fact]
    public void ModelsJson_ListsEveryZooModelWithItsDescription()
    {
        var (exit, stdout, _) = Copriv("models", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var names = doc.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToArray();
        Assert.Contains("resnet32-sci", names);
        Assert.Contains("resnet50", names);
        Assert.All(doc.RootElement.GetProperty("models").EnumerateArray(), m => Assert.False(string.IsNullOrEmpty(m.GetProperty("description").GetString())));
    }
}
