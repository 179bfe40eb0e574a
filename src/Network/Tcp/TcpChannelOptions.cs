using CoPriv.Network.FlowControl;
using CoPriv.Network.Tls;

namespace CoPriv.Network.Tcp;

/// <summary>
/// Settings of one TCP data-plane connection; both ends may use different values. Secure by default: TLS 1.3 with the
/// accepting end's <see cref="Certificate"/>, which the connecting end pins by <see cref="PinnedFingerprint"/>;
/// plaintext only with <see cref="Insecure"/>.
/// </summary>
public sealed record TcpChannelOptions
{
    /// <summary>Plaintext TCP instead of TLS (loopback experiments only: anyone on the path reads the shares).</summary>
    public bool Insecure { get; init; }

    /// <summary>The accepting end's TLS certificate (required there unless <see cref="Insecure"/>).</summary>
    public DataPlaneCertificate? Certificate { get; init; }

    /// <summary>
    /// The fingerprint the accepting end's certificate must have (required at the connecting end unless
    /// <see cref="Insecure"/>); any other certificate is refused during the TLS handshake, before any session byte.
    /// </summary>
    public CertificateFingerprint? PinnedFingerprint { get; init; }

    /// <summary>The connecting end announces it in its hello; the accepting end routes the connection by it.</summary>
    public string SessionId { get; init; } = "";

    /// <summary>
    /// The connecting end sends it in its hello to prove that it is the session's peer (a secret handed out over the
    /// control plane, see <see cref="DataPlaneListener.NewSessionToken"/>); at most 64 bytes.
    /// </summary>
    public byte[] SessionToken { get; init; } = [];

    /// <summary>Messages longer than this are refused when they arrive (the peer's fault: a ProtocolException).</summary>
    public long MaxMessageBytes { get; init; } = ChunkedFlowControl.DefaultMaxMessageBytes;

    /// <summary>
    /// How many bytes of messages that arrived this party may leave unread, all streams together. Beyond it the channel
    /// stops reading from the connection, so TCP holds back the peer's sends; if nothing is read for
    /// <see cref="IdleTimeout"/> the session fails. Unfinished messages (still arriving) may hold at most
    /// <see cref="MaxMessageBytes"/> more.
    /// </summary>
    public long MaxUnreadBytes { get; init; } = 256L << 20;

    /// <summary>How long connecting may take, and then how long the TLS handshake and the hello exchange may take.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a receive may wait for its message, a send may wait for the peer to take data, and arrived data may
    /// stay unread with the unread limit reached; each fails with a ProtocolException naming the stream and this
    /// timeout. <see cref="Timeout.InfiniteTimeSpan"/> waits as long as the peer is connected.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <see cref="DataPlaneListener.Expect"/> waits for the session's peer to connect.</summary>
    public TimeSpan ExpectTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Kernel send and receive buffer sizes.</summary>
    public int SocketBufferBytes { get; init; } = 4 << 20;

    public static TcpChannelOptions Default { get; } = new();

    /// <summary>Checks the settings an end needs before it touches the network.</summary>
    internal void Validate(bool accepting)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxMessageBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageBytes, Array.MaxLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxUnreadBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SocketBufferBytes);
        ThrowIfNotATimeout(HandshakeTimeout, nameof(HandshakeTimeout));
        ThrowIfNotATimeout(IdleTimeout, nameof(IdleTimeout));
        ThrowIfNotATimeout(ExpectTimeout, nameof(ExpectTimeout));
        if (SessionToken.Length > TcpWireFormat.MaxTokenBytes)
            throw new ArgumentException($"a session token may have at most {TcpWireFormat.MaxTokenBytes} bytes", nameof(SessionToken));
        if (Insecure) return;
        if (accepting && Certificate is null)
            throw new ArgumentException(
                "the data plane uses TLS unless told otherwise: give the accepting end a Certificate (DataPlaneCertificate.LoadOrCreate) or set Insecure",
                nameof(Certificate));
        if (!accepting && PinnedFingerprint is null)
            throw new ArgumentException(
                "the data plane uses TLS unless told otherwise: give the connecting end the server certificate's PinnedFingerprint or set Insecure",
                nameof(PinnedFingerprint));
    }

    private static void ThrowIfNotATimeout(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && value <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(name, value, "a timeout must be positive or Timeout.InfiniteTimeSpan");
    }
}
