using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoPriv.Actors.Inspection;

/// <summary>
/// One running command as its palette sees it: the positional arguments and options the user gave, whether to answer
/// in JSON, where to write (frames to the client), and a token that fires when the client goes away or the host stops.
/// </summary>
public sealed class InspectorCall(
    IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> options, bool json,
    Func<InspectorFrameKind, string, Task> send, CancellationToken cancellation)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public IReadOnlyList<string> Arguments { get; } = arguments;
    public bool Json { get; } = json;
    public CancellationToken Cancellation { get; } = cancellation;

    public bool Flag(string name) => options.ContainsKey(name);

    public int IntOption(string name, int fallback, int min, int max)
    {
        if (!options.TryGetValue(name, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            throw new InspectorCommandException(InspectorStatus.Usage, $"{name} takes a number from {min} to {max}, got '{text}'");
        return value;
    }

    public string? Option(string name) => options.GetValueOrDefault(name);

    /// <summary>Writes text (a trailing newline is added when missing).</summary>
    public Task WriteAsync(string text) => send(InspectorFrameKind.Output, text.EndsWith('\n') ? text : text + "\n");

    /// <summary>Writes <paramref name="value"/> as one line of JSON (a document, or one event of a stream).</summary>
    public Task WriteJsonAsync(object value) => WriteAsync(JsonSerializer.Serialize(value, value.GetType(), JsonOptions));

    /// <summary>Writes JSON when asked for, else the text.</summary>
    public Task AnswerAsync(object value, Func<string> text) => Json ? WriteJsonAsync(value) : WriteAsync(text());

    /// <summary>A whole screen of a live view (JSON callers get one line per redraw instead).</summary>
    public Task RedrawAsync(object value, Func<string> text) => Json ? WriteJsonAsync(value) : send(InspectorFrameKind.Redraw, text());

    public Task HeartbeatAsync() => send(InspectorFrameKind.Heartbeat, "");
}

/// <summary>A command that cannot run (status <see cref="InspectorStatus.Failed"/>) or was called wrongly (<see cref="InspectorStatus.Usage"/>).</summary>
public sealed class InspectorCommandException(InspectorStatus status, string message) : Exception(message)
{
    public InspectorStatus Status { get; } = status;

    public static InspectorCommandException Failed(string message) => new(InspectorStatus.Failed, message);
}

/// <summary>
/// One command of a palette: <c>&lt;palette&gt; &lt;name&gt; &lt;arguments&gt;</c>. Options named in
/// <see cref="ValueOptions"/> take a value (<c>-n 20</c>), those in <see cref="Flags"/> none. A command that
/// <see cref="ChangesState"/> runs only with the token when the host has one.
/// </summary>
public sealed record InspectorCommand(
    string Palette, string Name, string Arguments, string Description, int MinArguments, int MaxArguments,
    Func<InspectorCall, Task> Run)
{
    public IReadOnlyList<string> ValueOptions { get; init; } = [];
    public IReadOnlyList<string> Flags { get; init; } = [];
    public bool ChangesState { get; init; }

    /// <summary>Streams until the subject ends, the client hangs up (Ctrl-C) or the host stops.</summary>
    public bool Streams { get; init; }

    public string Usage => string.Join(' ', new[] { Palette, Name, Arguments }.Where(part => part.Length > 0));
}
