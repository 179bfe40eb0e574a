using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tcp;

/// <summary>
/// The bytes of the TCP data plane, all integers little-endian.
/// <list type="bullet">
/// <item>Hello, sent by both ends as soon as they are connected: "CPDP" (4 bytes), protocol version (u16), the
/// sender's role (u8: 0 server, 1 client), session id length (u16, at most 1024) and the session id in UTF-8.</item>
/// <item>Then frames: kind (u8), stream id (u32), payload length (u32, at most 64 KiB), payload. Kinds:
/// <see cref="FrameKind.OpenStream"/> (payload: the stream's name in UTF-8; ids are numbered 1, 2, … by the
/// sender, per direction), <see cref="FrameKind.MessagePart"/> and <see cref="FrameKind.MessageEnd"/> (a message
/// is zero or more parts and one end), and <see cref="FrameKind.Close"/> (stream id 0, payload: the reason; the
/// sender sends nothing after it).</item>
/// </list>
/// </summary>
internal static class TcpWireFormat
{
    public const ushort Version = 1;
    public const int MaxFramePayload = 64 * 1024;
    public const int FrameHeaderBytes = 9;
    public const int MaxNameBytes = 1024;
    private const int HelloFixedBytes = 9;
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

    public static byte[] Hello(PartyRole role, string sessionId)
    {
        int sessionBytes = Encoding.UTF8.GetByteCount(sessionId);
        if (sessionBytes > MaxNameBytes)
            throw new ArgumentException($"a session id may have at most {MaxNameBytes} bytes in UTF-8", nameof(sessionId));
        var hello = new byte[HelloFixedBytes + sessionBytes];
        Magic.CopyTo(hello);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(4), Version);
        hello[6] = (byte)role;
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(7), (ushort)sessionBytes);
        Encoding.UTF8.GetBytes(sessionId, hello.AsSpan(HelloFixedBytes));
        return hello;
    }

    /// <summary>
    /// Sends this end's hello, reads the peer's and checks that it speaks this version and plays the other role.
    /// Returns the peer's session id.
    /// </summary>
    public static async Task<string> ExchangeHellosAsync(Socket socket, PartyRole role, string sessionId, CancellationToken ct)
    {
        await socket.SendAsync(Hello(role, sessionId), SocketFlags.None, ct).ConfigureAwait(false);
        var head = new byte[HelloFixedBytes];
        await ReceiveExactlyAsync(socket, head, ct).ConfigureAwait(false);
        if (!head.AsSpan(0, 4).SequenceEqual(Magic))
            throw new ProtocolException(
                $"the peer at {socket.RemoteEndPoint} does not speak the CoPriv data plane (its first bytes are {Convert.ToHexString(head, 0, 4)}, expected {Convert.ToHexString(Magic)})");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(4));
        if (version != Version)
            throw new ProtocolException(
                $"the peer at {socket.RemoteEndPoint} speaks data-plane version {version}, this end speaks version {Version}");
        var peerRole = (PartyRole)head[6];
        if (peerRole is not (PartyRole.Server or PartyRole.Client))
            throw new ProtocolException($"the peer at {socket.RemoteEndPoint} announced an unknown role {head[6]}");
        if (peerRole == role)
            throw new ProtocolException(
                $"both ends of the connection to {socket.RemoteEndPoint} are the {role.ToString().ToLowerInvariant()}");
        int sessionBytes = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(7));
        if (sessionBytes > MaxNameBytes)
            throw new ProtocolException($"the peer's session id is {sessionBytes} bytes long, more than {MaxNameBytes}");
        var session = new byte[sessionBytes];
        await ReceiveExactlyAsync(socket, session, ct).ConfigureAwait(false);
        try
        {
            return new UTF8Encoding(false, true).GetString(session);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolException("the peer's session id is not valid UTF-8");
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, ct).ConfigureAwait(false);
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
