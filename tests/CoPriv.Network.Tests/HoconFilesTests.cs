using Akka.Configuration;
using CoPriv.Network.Links;

namespace CoPriv.Network.Tests;

/// <summary>hocon/*.conf parse as Akka reads them, and the network part agrees with the code's presets and defaults.</summary>
public class HoconFilesTests
{
    private static readonly string Directory = FindHoconDirectory();

    [Theory]
    [InlineData("base.conf")]
    [InlineData("presets.conf")]
    [InlineData("server.conf")]
    [InlineData("client.conf")]
    [InlineData("cluster.conf")]
    public void Each_file_parses_as_akka_hocon(string file)
    {
        var config = Load(file);
        Assert.False(config.IsEmpty);
    }

    [Fact]
    public void Presets_file_defines_exactly_the_presets_of_the_code()
    {
        var presets = PresetsFrom(Load("presets.conf"));
        Assert.Equal(LinkPresets.All.Select(p => p.Name).Order(), presets.Select(p => p.Name).Order());
        foreach (var preset in presets) Assert.Equal(LinkPresets.Get(preset.Name), preset);
    }

    [Fact]
    public void Base_network_settings_are_the_code_defaults()
    {
        var config = Load("base.conf").WithFallback(Load("presets.conf"));
        var settings = NetworkSettings.Parse(
            config.GetString("copriv.network.preset"), config.GetString("copriv.network.bandwidth"),
            config.GetString("copriv.network.rtt"), config.GetString("copriv.network.mode"), PresetsFrom(config));
        Assert.Equal(NetworkSettings.Default, settings);
        Assert.Equal(9110, config.GetInt("copriv.inspector.port"));
    }

    [Theory]
    [InlineData("server.conf", "server", 4053)]
    [InlineData("client.conf", "client", 0)]
    public void Role_files_layer_over_the_base(string file, string role, int port)
    {
        var config = Load(file).WithFallback(Load("base.conf"));
        Assert.Equal([role], config.GetStringList("akka.cluster.roles"));
        Assert.Equal(port, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("remote", config.GetString("akka.actor.provider"));
        Assert.Equal("simulate", config.GetString("copriv.network.mode"));
        Assert.True(config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size") > config.GetByteSize("copriv.channel.chunk-size"));
    }

    private static List<LinkModel> PresetsFrom(Config config) =>
        config.GetConfig("copriv.network.presets").AsEnumerable()
            .Select(entry => entry.Key.Split('.')[0]).Distinct()
            .Select(name => LinkModel.Parse(name,
                config.GetString($"copriv.network.presets.{name}.bandwidth"),
                config.GetString($"copriv.network.presets.{name}.rtt")))
            .ToList();

    private static Config Load(string file) => ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(Directory, file)));

    private static string FindHoconDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hocon");
            if (File.Exists(Path.Combine(candidate, "base.conf"))) return candidate;
        }
        throw new DirectoryNotFoundException($"no hocon/base.conf above {AppContext.BaseDirectory}");
    }
}
