using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoPriv.Sim.Reports;

/// <summary>The JSON form of a <see cref="SimulationReport"/>: camelCase, indented, nulls kept (a null says "not measured").</summary>
public static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(SimulationReport report) => JsonSerializer.Serialize(report, Options);
}
