using System.Text.Json.Serialization;
using System.Text.Json;

namespace CoPriv.Inference.Reports;

/// <summary>The JSON form of an <see cref="InferenceReport"/>: camelCase names, enums as camelCase strings, nulls left out.</summary>
public static class InferenceReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    public static string Serialize(InferenceReport report) => JsonSerializer.Serialize(report, Options);

    public static InferenceReport Deserialize(string json) =>
        JsonSerializer.Deserialize<InferenceReport>(json, Options)
        ?? throw new JsonException("the JSON holds no inference report");
}
