using System.Buffers.Binary;
using System.Text;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tcp;

/// <summary>
/// The bytes of the TCP data plane, all integers little-endian. With TLS (the default) all of them travel inside the
/// TLS stream, so nothing of a session (not even its id) is visible on the wire.
/// <list type="bullet">
/// <item>Hello, sent by the connecting end as soon as it is connected: "CPDP" (4 bytes), protocol version (u16), the
/// sender's role (u8: 0 server, 1 client), session id length (u16, at most 1024), session token length (u8, at most
/// 64), the session id in UTF-8 and the token (a secret the two parties agreed on over the control plane).</item>
/// <item>Answer, sent by the accepting end once it has read and checked the hello: "CPDP", version (u16), role (u8),
/// verdict (u8: 0 accepted, 1 refused), reason length (u16, at most 4000, 0 when accepted) and the reason in UTF-8.
/// A refusing end closes the connection after its answer.</item>
/// <item>Then frames: kind (u8), stream id (u32), payload length (u32, at most 64 KiB), payload. Kinds:
/// <see cref="FrameKind.OpenStream"/> (payload: the stream's name in UTF-8; ids are numbered 1, 2, … by the
/// sender, per direction), <see cref="FrameKind.MessagePart"/> and <see cref="FrameKind.MessageEnd"/> (a message
/// is zero or more parts and one end), and <see cref="FrameKind.Close"/> (stream id 0, payload: the reason; the
/// sender sends nothing after it).</item>
/// </list>
/// </summary>
internal static class TcpWireFormat
{
    public const ushort Version = 2;
    public const int MaxFramePayload = 64 * 1024;
    public const int FrameHeaderBytes = 9;
    public const int MaxNameBytes = 1024;
    public const int MaxTokenBytes = 64;
    public const int MaxReasonBytes = 4000;
    // At most three UTF-8 bytes per UTF-16 char, so a reason cut to this many chars always fits.
    private const int MaxReasonChars = MaxReasonBytes / 3;
    private const int HandshakeFixedBytes = 10;
    private const byte Accepted = 0, Refused = 1;
    private const byte TlsHandshakeRecord = 0x16;
    private static ReadOnlySpan<byte> Magic => "CPDP"u8;

    public enum FrameKind : byte
    {
        OpenStream = 1,
        MessagePart = 2,
        MessageEnd = 3,
        Close = 4,
    }

    public static void WriteFrameHeader(Span<byte> dst, FrameKind kind, uint stream, int length)
    {
        dst[0] = (byte)kind;
        BinaryPrimitives.WriteUInt32LittleEndian(dst[1..], stream);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[5..], (uint)length);
    }

    /// <summary>Reads and checks a frame header; anything malformed is the peer's fault.</summary>
    public static (FrameKind Kind, uint Stream, int Length) ReadFrameHeader(ReadOnlySpan<byte> src)
    {
        var kind = (FrameKind)src[0];
        uint stream = BinaryPrimitives.ReadUInt32LittleEndian(src[1..]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(src[5..]);
        if (kind is < FrameKind.OpenStream or > FrameKind.Close)
            throw new ProtocolException($"the peer sent a frame of unknown kind 0x{(byte)kind:x2}");
        uint limit = kind == FrameKind.OpenStream ? (uint)MaxNameBytes : MaxFramePayload;
        if (length > limit)
            throw new ProtocolException(
                $"the peer sent a {kind} frame of {length} bytes, more than the limit of {limit} bytes");
        return (kind, stream, (int)length);
    }

    public static byte[] Hello(PartyRole role, string sessionId, ReadOnlySpan<byte> token)
    {
        int sessionBytes = Encoding.UTF8.GetByteCount(sessionId);
        if (sessionBytes > MaxNameBytes)
            throw new ArgumentException($"a session id may have at most {MaxNameBytes} bytes in UTF-8", nameof(sessionId));
        if (token.Length > MaxTokenBytes)
            throw new ArgumentException($"a session token may have at most {MaxTokenBytes} bytes", nameof(token));
        var hello = new byte[HandshakeFixedBytes + sessionBytes + token.Length];
        WriteHandshakeStart(hello, role);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(7), (ushort)sessionBytes);
        hello[9] = (byte)token.Length;
        Encoding.UTF8.GetBytes(sessionId, hello.AsSpan(HandshakeFixedBytes));
        token.CopyTo(hello.AsSpan(HandshakeFixedBytes + sessionBytes));
        return hello;
    }

    /// <summary>The accepting end's answer to a hello: accepted when <paramref name="refusal"/> is null.</summary>
    public static byte[] Answer(PartyRole role, string? refusal)
    {
        var reason = refusal is null ? [] : Encoding.UTF8.GetBytes(refusal.Length > MaxReasonChars ? refusal[..MaxReasonChars] : refusal);
        var answer = new byte[HandshakeFixedBytes + reason.Length];
        WriteHandshakeStart(answer, role);
        answer[7] = refusal is null ? Accepted : Refused;
        BinaryPrimitives.WriteUInt16LittleEndian(answer.AsSpan(8), (ushort)reason.Length);
        reason.CopyTo(answer.AsSpan(HandshakeFixedBytes));
        return answer;
    }

    /// <summary>
    /// Reads the connecting end's hello and checks that it speaks this version and plays the other role than
    /// <paramref name="role"/>. Every length is checked before anything is allocated for it.
    /// </summary>
    public static async Task<PeerHello> ReadHelloAsync(Stream stream, PartyRole role, string peer, CancellationToken ct)
    {
        var head = await ReadHandshakeStartAsync(stream, role, peer, ct).ConfigureAwait(false);
        int sessionBytes = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(7));
        int tokenBytes = head[9];
        if (sessionBytes > MaxNameBytes)
            throw new ProtocolException($"the peer at {peer} announced a session id of {sessionBytes} bytes, more than {MaxNameBytes}");
        if (tokenBytes > MaxTokenBytes)
            throw new ProtocolException($"the peer at {peer} announced a session token of {tokenBytes} bytes, more than {MaxTokenBytes}");
        var rest = new byte[sessionBytes + tokenBytes];
        await ReadExactlyAsync(stream, rest, ct).ConfigureAwait(false);
        return new PeerHello(DecodeText(rest.AsSpan(0, sessionBytes), "a session id"), rest[sessionBytes..]);
    }

    /// <summary>Reads the accepting end's answer; a refusal becomes a <see cref="ProtocolException"/> with its reason.</summary>
    public static async Task ReadAnswerAsync(Stream stream, PartyRole role, string peer, CancellationToken ct)
    {
        var head = await ReadHandshakeStartAsync(stream, role, peer, ct).ConfigureAwait(false);
        byte verdict = head[7];
        int reasonBytes = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8));
        if (verdict is not (Accepted or Refused))
            throw new ProtocolException($"the peer at {peer} answered with an unknown verdict {verdict}");
        if (reasonBytes > MaxReasonBytes)
            throw new ProtocolException($"the peer at {peer} sent a reason of {reasonBytes} bytes, more than {MaxReasonBytes}");
        var reason = new byte[reasonBytes];
        await ReadExactlyAsync(stream, reason, ct).ConfigureAwait(false);
        if (verdict == Refused)
            throw new ProtocolException($"the peer at {peer} refused the connection: {DecodeText(reason, "a reason")}");
    }

    private static void WriteHandshakeStart(Span<byte> dst, PartyRole role)
    {
        Magic.CopyTo(dst);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[4..], Version);
        dst[6] = (byte)role;
    }

    private static async Task<byte[]> ReadHandshakeStartAsync(Stream stream, PartyRole role, string peer, CancellationToken ct)
    {
        var head = new byte[HandshakeFixedBytes];
        await ReadExactlyAsync(stream, head, ct).ConfigureAwait(false);
        if (!head.AsSpan(0, 4).SequenceEqual(Magic))
            throw new ProtocolException(
                $"the peer at {peer} does not speak the CoPriv data plane (its first bytes are {Convert.ToHexString(head, 0, 4)}, expected {Convert.ToHexString(Magic)}){(head[0] == TlsHandshakeRecord ? "; it speaks TLS and this end does not: is this end insecure by mistake?" : "")}");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(4));
        if (version != Version)
            throw new ProtocolException($"the peer at {peer} speaks data-plane version {version}, this end speaks version {Version}");
        var peerRole = (PartyRole)head[6];
        if (peerRole is not (PartyRole.Server or PartyRole.Client))
            throw new ProtocolException($"the peer at {peer} announced an unknown role {head[6]}");
        if (peerRole == role)
            throw new ProtocolException($"both ends of the connection with {peer} are the {role.ToString().ToLowerInvariant()}");
        return head;
    }

    private static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[read..], ct).ConfigureAwait(false);
            if (n == 0)
                throw new ChannelClosedException(
                    $"the peer closed the connection during the handshake after {read} of {buffer.Length} expected bytes");
            read += n;
        }
    }

    public static string DecodeText(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolException($"the peer sent {what} that is not valid UTF-8");
        }
    }
}

/// <summary>What the connecting end announced in its hello: the session it wants and the token that proves it may.</summary>
internal sealed record PeerHello(string SessionId, byte[] Token);
