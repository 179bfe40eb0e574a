using System.Text.Json;

namespace CoPriv.Cli.Tests;

/// <summary>`copriv simulate` in-process: bad input is one clear line on stderr and a non-zero exit; good input a JSON report.</summary>
[Collection("console")]
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("copriv-cli-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static (int Exit, string Out, string Error) Run(params string[] args) => CliConsole.Copriv(args);

    [Theory]
    [InlineData("--model", "resnet33", "unknown model 'resnet33'")]
    [InlineData("--network", "moon", "unknown network preset 'moon'")]
    [InlineData("--protocol", "delphi", "unknown protocol 'delphi'")]
    [InlineData("--bandwidth", "100 furlongs", "100 furlongs")]
    [InlineData("--rtt", "20", "'20'")]
    [InlineData("--mode", "dream", "'dream' is not a network mode")]
    public void A_bad_name_or_value_is_one_error_line_and_a_non_zero_exit(string option, string value, string expected)
    {
        var (exit, output, error) = Run("simulate", option, value, "--out", _scratch);

        Assert.NotEqual(0, exit);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("copriv: error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("simulate", "--netwrok", "wan")]
    [InlineData("cost", "--protocl", "copriv")]
    [InlineData("run", "--ring-bit", "41")]
    public void A_misspelt_option_is_one_error_line_naming_it_and_nothing_runs(string command, string option, string value)
    {
        var (exit, output, error) = Run(command, "--model", "minionn", option, value, "--out", _scratch);

        Assert.NotEqual(0, exit);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("copriv: error: ", lines[0]);
        Assert.Contains(option.TrimStart('-'), lines[0]);
        Assert.Equal("", output);
    }

    [Fact]
    public void A_preset_with_an_unknown_key_is_an_error_naming_the_key()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString(
            "copriv.network.presets {\n wan { bandwidth = \"400Mbit/s\", rtt = \"40ms\", jiter = \"5ms\" }\n}");
        var error = Assert.Throws<FormatException>(() => CoPriv.Sim.Configuration.NetworkConfig.Presets(config));
        Assert.Equal("network preset 'wan' in the HOCON has an unknown key 'jiter'; a preset takes bandwidth, rtt, jitter, loss, used-by", error.Message);
        var withBoth = Akka.Configuration.ConfigurationFactory.ParseString(
            "copriv.network.presets {\n lossy { bandwidth = \"100Mbit/s\", rtt = \"80ms\", jitter = \"3ms\", loss = \"0.1%\" }\n}");
        var lossy = CoPriv.Sim.Configuration.NetworkConfig.Presets(withBoth).Single();
        Assert.Equal((TimeSpan.FromMilliseconds(3), 0.001), (lossy.Jitter, lossy.Loss));
    }

    [Fact]
    public void Unreadable_hocon_is_one_error_line_naming_the_file()
    {
        var broken = Directory.CreateDirectory(Path.Combine(_scratch, "hocon")).FullName;
        File.WriteAllText(Path.Combine(broken, "base.conf"), "copriv.network.preset = ${nowhere.defined}\n");
        File.WriteAllText(Path.Combine(broken, "presets.conf"), "");

        var (exit, _, error) = Run("simulate", "--model", "minionn", "--width", "0.125", "--config", broken, "--out", _scratch);
        var (missingExit, _, missingError) = Run("simulate", "--config", Path.Combine(_scratch, "nowhere"), "--out", _scratch);

        Assert.NotEqual(0, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"HOCON file '{Path.Combine(broken, "base.conf")}' is not valid", error);
        Assert.NotEqual(0, missingExit);
        Assert.Single(missingError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot read HOCON file", missingError);
    }

    [Fact]
    public void Hocon_preset_is_used_unless_the_command_line_names_another()
    {
        var custom = Directory.CreateDirectory(Path.Combine(_scratch, "custom")).FullName;
        var shipped = Path.Combine(AppContext.BaseDirectory, "hocon");
        File.WriteAllText(Path.Combine(custom, "base.conf"),
            File.ReadAllText(Path.Combine(shipped, "base.conf")) + "\ncopriv.network.preset = slow\n");
        File.WriteAllText(Path.Combine(custom, "presets.conf"),
            "copriv.network.presets {\n slow { bandwidth = \"10Mbit/s\", rtt = \"200ms\" }\n wan { bandwidth = \"400Mbit/s\", rtt = \"40ms\" }\n}");

        var config = CoPriv.Sim.Configuration.CoPrivConfig.Load(custom);
        var fromHocon = CoPriv.Sim.SimulationOptions.ParseNetworks(config, null, null, null, null).Single();
        var fromCommandLine = CoPriv.Sim.SimulationOptions.ParseNetworks(config, "wan", null, "10ms", "emulate").Single();

        Assert.Equal(("slow", 10e6, 0.2), (fromHocon.Link.Name, fromHocon.Bandwidth.BitsPerSecond, fromHocon.RoundTripTime.TotalSeconds));
        Assert.Equal(("custom", 400e6, 0.01, CoPriv.Network.NetworkMode.Emulate),
            (fromCommandLine.Link.Name, fromCommandLine.Bandwidth.BitsPerSecond, fromCommandLine.RoundTripTime.TotalSeconds, fromCommandLine.Mode));
    }

    [Fact]
    public void Json_lists_each_protocol_s_bytes_rounds_compute_and_simulated_latency_and_the_report_files_are_written()
    {
        var (exit, output, error) = Run("simulate", "--model", "minionn", "--width", "0.125", "--network", "wan",
            "--protocol", "both", "--json", "--out", _scratch);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var protocols = json.RootElement.GetProperty("protocols").EnumerateArray().ToArray();
        Assert.Equal(["cryptflow2", "copriv"], protocols.Select(p => p.GetProperty("name").GetString()));
        foreach (var p in protocols)
        {
            long total = p.GetProperty("totalBytes").GetInt64();
            Assert.Equal(total, p.GetProperty("onlineBytes").GetInt64() + p.GetProperty("preprocessingBytes").GetInt64());
            Assert.True(p.GetProperty("rounds").GetInt64() > 0);
            Assert.True(p.GetProperty("computeSeconds").GetDouble() > 0);
            // Virtual time, so no wall-clock comparison (that failed under load): the latency is at least the link's
            // floor, which pays the wan preset's 20 ms one-way latency for every flight of the longest chain.
            double simulated = p.GetProperty("simulatedSeconds").GetDouble(), floor = p.GetProperty("lowerBoundSeconds").GetDouble();
            Assert.True(simulated >= floor, $"simulated {simulated} s below the floor {floor} s");
            Assert.True(floor >= p.GetProperty("chainFlights").GetInt64() * 0.020, $"floor {floor} s");
            long onlineFlights = p.GetProperty("onlineFlights").GetInt64();
            Assert.InRange(onlineFlights, 1, p.GetProperty("chainFlights").GetInt64());
            Assert.Equal((onlineFlights + 1) / 2, p.GetProperty("onlineRoundTrips").GetInt64());
            Assert.Equal(onlineFlights, p.GetProperty("onlineRoundTripsPerLayer").EnumerateArray().Sum(l => l.GetProperty("onlineFlights").GetInt64()));
            Assert.True(p.GetProperty("communicationSeconds").GetDouble() > 0);
            Assert.True(p.GetProperty("wallSeconds").GetDouble() > 0);
        }
        Assert.True(protocols[1].GetProperty("totalBytes").GetInt64() < protocols[0].GetProperty("totalBytes").GetInt64());
        foreach (var file in new[] { "report.json", "report.md", "latency.png", "bytes-per-layer-copriv.png", "bytes-per-layer-cryptflow2.png" })
            Assert.True(new FileInfo(Path.Combine(_scratch, file)).Length > 0, file);
    }
}
