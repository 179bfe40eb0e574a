using Akka.Configuration;
using CoPriv.Network.FlowControl;

namespace CoPriv.Actors.Channel;

/// <summary>
/// How <see cref="ActorChannel"/> cuts and paces protocol bytes: chunks of at most <see cref="ChunkSize"/> bytes, at
/// most <see cref="Window"/> unacknowledged bytes per stream and direction, and how long a receive or a send may wait
/// for the peer (infinite: as long as the peer session is alive).
/// </summary>
public sealed record ActorChannelSettings
{
    public ActorChannelSettings(int chunkSize = ChunkedFlowControl.DefaultChunkBytes, int window = (int)ChunkedFlowControl.DefaultWindowBytes, TimeSpan? waitTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        if (window < chunkSize)
            throw new ArgumentException($"the flow-control window ({window} bytes) must hold at least one chunk ({chunkSize} bytes)", nameof(window));
        ChunkSize = chunkSize;
        Window = window;
        WaitTimeout = waitTimeout ?? Timeout.InfiniteTimeSpan;
    }

    public int ChunkSize { get; }
    public int Window { get; }
    public TimeSpan WaitTimeout { get; }

    public static ActorChannelSettings Default { get; } = new();

    /// <summary>Reads <c>chunk-size</c>, <c>window</c> and <c>wait-timeout</c> from a <c>copriv.channel</c> section.</summary>
    public static ActorChannelSettings FromConfig(Config section)
    {
        var timeout = section.GetString("wait-timeout", "infinite");
        return new ActorChannelSettings(
            checked((int)(section.GetByteSize("chunk-size", null) ?? Default.ChunkSize)),
            checked((int)(section.GetByteSize("window", null) ?? Default.Window)),
            timeout is "infinite" or "" ? Timeout.InfiniteTimeSpan : section.GetTimeSpan("wait-timeout"));
    }
}
