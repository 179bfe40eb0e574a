using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace CoPriv.Actors.Logging;

/// <summary>
/// An Akka logger that only keeps lines in the system's <see cref="LogBuffer"/>, for processes whose terminal belongs
/// to something else (<c>copriv simulate</c>'s progress bars and table): <c>akka.loggers = ["CoPriv.Actors.Logging.LogBufferLogger, CoPriv.Actors"]</c>.
/// </summary>
public sealed class LogBufferLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>The HOCON name of this logger type.</summary>
    public const string TypeName = "CoPriv.Actors.Logging.LogBufferLogger, CoPriv.Actors";

    public LogBufferLogger()
    {
        var buffer = LogBuffer.For(Context.System);
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(buffer.Add);
    }
}
