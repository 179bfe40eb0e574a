using Akka.Actor;
using Akka.Dispatch;
using Akka.DependencyInjection;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoPriv.Actors.Logging;

/// <summary>
/// Akka's logger for a CoPriv node: every log event goes to Microsoft.Extensions.Logging under its source's category
/// (the actor path or class), as the event's own message — no second envelope of level, time and thread, which the
/// console formatter already writes. Every event is also kept in the system's <see cref="LogBuffer"/> for the inspector.
/// </summary>
public sealed class NodeLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory;
    private readonly LogBuffer _buffer;
    private readonly Dictionary<string, Microsoft.Extensions.Logging.ILogger> _loggers = new(StringComparer.Ordinal);

    public NodeLogger()
    {
        _factory = DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>();
        _buffer = LogBuffer.For(Context.System);
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Log);
    }

    private void Log(LogEvent e)
    {
        _buffer.Add(e);
        var level = e.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
            _ => Microsoft.Extensions.Logging.LogLevel.Error,
        };
        if (!_loggers.TryGetValue(e.LogSource, out var logger))
            _loggers[e.LogSource] = logger = _factory.CreateLogger(e.LogSource);
        if (!logger.IsEnabled(level)) return;
        logger.Log(level, e.Cause, "{Message}", e.Message?.ToString());
    }
}
