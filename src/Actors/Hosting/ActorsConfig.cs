using System.Reflection;
using Akka.Configuration;

namespace CoPriv.Actors.Hosting;

/// <summary>
/// The HOCON of the actor runtime: our defaults (serializer bindings, channel window and chunk size, session and
/// inspector settings) and the Akka.Remote layer, embedded in this assembly and layered under the caller's
/// overrides. Later the CLI merges the repository's hocon/ files on top the same way.
/// </summary>
public static class ActorsConfig
{
    /// <summary>Settings for any system running parties (local provider).</summary>
    public static Config Defaults { get; } = Load("actors");

    /// <summary>The Akka.Remote layer (loopback, OS-chosen port unless overridden).</summary>
    public static Config RemoteDefaults { get; } = Load("remote");

    /// <summary>Both parties in one process, one or more local systems without remoting.</summary>
    public static Config Local(Config? overrides = null) => Validate(Layer(overrides, Defaults));

    /// <summary>A system reachable over Akka.Remote at <paramref name="hostname"/>:<paramref name="port"/> (0: any free port).</summary>
    public static Config Remote(string hostname = "127.0.0.1", int port = 0, Config? overrides = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostname);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var address = ConfigurationFactory.ParseString(
            $"akka.remote.dot-netty.tcp {{ hostname = \"{hostname}\", port = {port} }}");
        return Validate(Layer(overrides, address.WithFallback(RemoteDefaults).WithFallback(Defaults)));
    }

    /// <summary>
    /// Checks what would otherwise fail late: a chunk (plus its envelope) must fit one remote frame, and the channel
    /// settings must be valid.
    /// </summary>
    public static Config Validate(Config config)
    {
        var channel = Channel.ActorChannelSettings.FromConfig(config.GetConfig("copriv.channel"));
        if (config.GetString("akka.actor.provider", "local") is "remote" or "cluster")
        {
            long frame = config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", null) ?? 128000;
            if (channel.ChunkSize + 4096 > frame)
                throw new ArgumentException(
                    $"copriv.channel.chunk-size ({channel.ChunkSize} bytes) plus 4 KiB of envelope exceeds akka.remote.dot-netty.tcp.maximum-frame-size ({frame} bytes)");
        }
        return config;
    }

    private static Config Layer(Config? overrides, Config below) => overrides is null ? below : overrides.WithFallback(below);

    private static Config Load(string name)
    {
        var resource = $"CoPriv.Actors.Hosting.{name}.conf";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded HOCON '{resource}' is missing");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
