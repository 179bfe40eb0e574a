namespace CoPriv.Protocols.Core;

/// <summary>
/// A protocol run cannot continue: the peer sent something malformed (wrong length, wrong parameters), closed the
/// channel, or the two parties disagree about what they are running. The message says which stream and what was
/// expected.
/// </summary>
public class ProtocolException : Exception
{
    public ProtocolException(string message) : base(message) { }
    public ProtocolException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The peer closed the channel (or failed) while this party still expected to talk to it.</summary>
public sealed class ChannelClosedException : ProtocolException
{
    public ChannelClosedException(string message) : base(message) { }
    public ChannelClosedException(string message, Exception inner) : base(message, inner) { }
}
