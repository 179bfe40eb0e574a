namespace CoPriv.Network.Tcp;

/// <summary>Settings of one TCP data-plane connection; both ends may use different values.</summary>
public sealed record TcpChannelOptions
{
    /// <summary>Messages longer than this are refused when they arrive (the peer's fault: a ProtocolException).</summary>
    public long MaxMessageBytes { get; init; } = FlowControl.ChunkedFlowControl.DefaultMaxMessageBytes;

    /// <summary>How long connecting and the hello exchange may take.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A receive that waits longer fails with a ProtocolException (default: as long as the peer is connected).</summary>
    public TimeSpan ReceiveTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Sent to the peer in the hello so that an acceptor can tell which session a connection belongs to.</summary>
    public string SessionId { get; init; } = "";

    /// <summary>Kernel send and receive buffer sizes.</summary>
    public int SocketBufferBytes { get; init; } = 1 << 20;

    public static TcpChannelOptions Default { get; } = new();
}
