using Akka.Configuration;
using CoPriv.Actors.Channel;

namespace CoPriv.Actors.Sessions;

/// <summary>
/// Settings of parties and sessions, read from the <c>copriv</c> HOCON section: the channel's chunking and window,
/// how long a client waits for the server to accept, how often running steps report, how many finished sessions a
/// party remembers, and how many sessions a server runs at once (more are refused as "server busy", not queued).
/// </summary>
public sealed record SessionSettings(
    ActorChannelSettings Channel, TimeSpan AcceptTimeout, TimeSpan ProgressInterval, int History, int MaxSessions = 4)
{
    public static SessionSettings Default { get; } =
        new(ActorChannelSettings.Default, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250), 50);

    /// <summary>Reads <c>copriv.channel</c> and <c>copriv.session</c> from a whole system config.</summary>
    public static SessionSettings FromConfig(Config config)
    {
        var session = config.GetConfig("copriv.session") ?? Config.Empty;
        var channel = config.GetConfig("copriv.channel") ?? Config.Empty;
        return new SessionSettings(
            ActorChannelSettings.FromConfig(channel),
            session.GetTimeSpan("accept-timeout", Default.AcceptTimeout),
            session.GetTimeSpan("progress-interval", Default.ProgressInterval),
            session.GetInt("history", Default.History),
            session.GetInt("max-sessions", Default.MaxSessions));
    }
}
