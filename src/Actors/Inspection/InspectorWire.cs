using System.Text;

namespace CoPriv.Actors.Inspection;

/// <summary>An answer of the inspector: whether the command ran, and the text to show.</summary>
public sealed record InspectorReply(bool Ok, string Text) : ICoPrivMessage
{
    public static InspectorReply Success(string text) => new(true, text);
    public static InspectorReply Error(string text) => new(false, text);
}

/// <summary>
/// The inspector's line protocol, spoken by <see cref="InspectorActor"/> and the pbm client: the client sends one
/// command line (UTF-8, ending in '\n', at most <see cref="MaxRequestBytes"/> bytes); the host answers a status line
/// (<c>OK</c> or <c>ERROR</c>), then the text, and closes the connection.
/// </summary>
public static class InspectorWire
{
    public const int DefaultPort = 9110;
    public const int MaxRequestBytes = 4096;
    private const string OkLine = "OK", ErrorLine = "ERROR";

    public static byte[] EncodeRequest(string commandLine)
    {
        if (commandLine.Contains('\n')) throw new ArgumentException("a command is one line", nameof(commandLine));
        var bytes = Encoding.UTF8.GetBytes(commandLine + "\n");
        if (bytes.Length > MaxRequestBytes) throw new ArgumentException($"a command may have at most {MaxRequestBytes} bytes", nameof(commandLine));
        return bytes;
    }

    public static byte[] EncodeReply(InspectorReply reply) =>
        Encoding.UTF8.GetBytes($"{(reply.Ok ? OkLine : ErrorLine)}\n{reply.Text.TrimEnd('\n')}\n");

    public static InspectorReply DecodeReply(string wire)
    {
        int end = wire.IndexOf('\n');
        var status = end < 0 ? wire : wire[..end];
        var text = end < 0 ? "" : wire[(end + 1)..];
        return status switch
        {
            OkLine => InspectorReply.Success(text),
            ErrorLine => InspectorReply.Error(text),
            _ => throw new FormatException($"not an inspector reply (status line '{status}')"),
        };
    }
}
