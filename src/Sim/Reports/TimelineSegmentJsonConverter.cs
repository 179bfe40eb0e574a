using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoPriv.Sim.Reports;

/// <summary>
/// A <see cref="TimelineSegment"/> as [start, end, covered] on one line even in indented JSON: a run keeps thousands of
/// segments, and an object or an indented array per segment would make them most of the report.
/// </summary>
public sealed class TimelineSegmentJsonConverter : JsonConverter<TimelineSegment>
{
    private const string Shape = "a timeline segment is [start, end, covered seconds]";

    public override TimelineSegment Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException(Shape);
        double start = ReadNumber(ref reader), end = ReadNumber(ref reader), covered = ReadNumber(ref reader);
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw new JsonException(Shape);
        return new TimelineSegment(start, end, covered);
    }

    public override void Write(Utf8JsonWriter writer, TimelineSegment value, JsonSerializerOptions options) =>
        writer.WriteRawValue(string.Create(CultureInfo.InvariantCulture, $"[{value.Start:R},{value.End:R},{value.CoveredSeconds:R}]"));

    private static double ReadNumber(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number) throw new JsonException(Shape);
        return reader.GetDouble();
    }
}
