using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace CoPriv.Actors.Inspection;

/// <summary>What a frame of the inspector protocol carries.</summary>
public enum InspectorFrameKind : byte
{
    /// <summary>Client to host, once: the command (<see cref="InspectorRequest"/> as JSON).</summary>
    Request = (byte)'Q',
    /// <summary>Text to print after what was printed.</summary>
    Output = (byte)'O',
    /// <summary>A whole screen of a live view (<c>copriv watch</c>): replaces the previous one on a terminal.</summary>
    Redraw = (byte)'R',
    /// <summary>Nothing to show; sent while a stream is quiet so that the client's bounded reads stay alive.</summary>
    Heartbeat = (byte)'H',
    /// <summary>The last frame: the command's status and, unless it succeeded, the reason (<see cref="InspectorEnd"/>).</summary>
    End = (byte)'E',
}

/// <summary>One frame: its kind and its UTF-8 text.</summary>
public sealed record InspectorFrame(InspectorFrameKind Kind, string Text);

/// <summary>A command sent to the inspector: the command line, the token (when the host has one), JSON output or text.</summary>
public sealed record InspectorRequest(string Command, string? Token = null, bool Json = false);

/// <summary>How a command ended, as the client's exit code: 0 ok, 1 failed or refused, 2 usage (unknown command, bad arguments).</summary>
public enum InspectorStatus
{
    Ok = 0,
    Failed = 1,
    Usage = 2,
}

/// <summary>The end frame's content.</summary>
public sealed record InspectorEnd(InspectorStatus Status, string Message);

/// <summary>
/// The inspector protocol, version 2, spoken by <see cref="InspectorActor"/> and pbm over one TCP connection per
/// command. The client writes the magic <c>CPI2</c> and one <see cref="InspectorFrameKind.Request"/> frame; the host
/// answers any number of output, redraw and heartbeat frames and one end frame, then closes. A frame is its kind
/// (one byte), its length (4 bytes, big-endian) and that many bytes of UTF-8; a reader checks the length against its
/// limit before allocating. A connection that does not start with the magic (an older pbm's bare command line) gets
/// one plain-text line saying which protocol this host speaks.
/// </summary>
public static class InspectorWire
{
    public const int DefaultPort = 9110;
    public const int Version = 2;
    public const int MaxRequestBytes = 16 * 1024;
    public const int MaxFrameBytes = 4 * 1024 * 1024;
    public static ReadOnlySpan<byte> Magic => "CPI2"u8;

    /// <summary>The plain-text answer to a client that does not speak this protocol.</summary>
    public static byte[] VersionMismatchReply =>
        Encoding.UTF8.GetBytes($"ERROR\nthis CoPriv inspector speaks pbm protocol {Version}; use the pbm of the same CoPriv release\n");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] EncodeRequest(InspectorRequest request)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        if (payload.Length > MaxRequestBytes) throw new ArgumentException($"a command may have at most {MaxRequestBytes} bytes", nameof(request));
        var bytes = new byte[Magic.Length + 5 + payload.Length];
        Magic.CopyTo(bytes);
        WriteHeader(bytes.AsSpan(Magic.Length), InspectorFrameKind.Request, payload.Length);
        payload.CopyTo(bytes.AsSpan(Magic.Length + 5));
        return bytes;
    }

    public static InspectorRequest DecodeRequest(string json) =>
        JsonSerializer.Deserialize<InspectorRequest>(json, Json) ?? throw new FormatException("an empty request");

    public static string EncodeEnd(InspectorEnd end) => $"{(int)end.Status}\n{end.Message}";

    public static InspectorEnd DecodeEnd(string text)
    {
        int newline = text.IndexOf('\n');
        var code = newline < 0 ? text : text[..newline];
        if (!int.TryParse(code, out int status) || !Enum.IsDefined((InspectorStatus)status))
            throw new FormatException($"not an end frame: '{code}'");
        return new InspectorEnd((InspectorStatus)status, newline < 0 ? "" : text[(newline + 1)..]);
    }

    public static async Task WriteFrameAsync(Stream stream, InspectorFrameKind kind, string text, CancellationToken cancellation)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        if (payload.Length > MaxFrameBytes) throw new ArgumentException($"a frame may have at most {MaxFrameBytes} bytes");
        var frame = new byte[5 + payload.Length];
        WriteHeader(frame, kind, payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        await stream.WriteAsync(frame, cancellation).ConfigureAwait(false);
        await stream.FlushAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Reads one frame; null at a clean end of stream before its first byte.</summary>
    public static async Task<InspectorFrame?> ReadFrameAsync(Stream stream, int maxBytes, CancellationToken cancellation)
    {
        var header = new byte[5];
        int read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellation).ConfigureAwait(false);
        if (read == 0) return null;
        if (read < header.Length) throw new EndOfStreamException("the connection ended inside a frame header");
        var kind = (InspectorFrameKind)header[0];
        if (!Enum.IsDefined(kind)) throw new FormatException($"unknown frame kind 0x{header[0]:x2}");
        int length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        if (length < 0 || length > maxBytes) throw new FormatException($"a frame of {length} bytes exceeds the limit of {maxBytes}");
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellation).ConfigureAwait(false);
        return new InspectorFrame(kind, Encoding.UTF8.GetString(payload));
    }

    private static void WriteHeader(Span<byte> destination, InspectorFrameKind kind, int length)
    {
        destination[0] = (byte)kind;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], length);
    }
}
