using System.Globalization;
using System.Text.RegularExpressions;

namespace CoPriv.Network.Links;

/// <summary>
/// Parses and prints the time spans of a link (one-way latency, round-trip time): a non-negative number and a unit,
/// <c>ns</c>, <c>us</c> (or <c>µs</c>), <c>ms</c> or <c>s</c>, e.g. <c>20ms</c>, <c>0.3ms</c>, <c>1s</c>,
/// <c>150us</c>. A bare number is refused because its unit would be a guess.
/// </summary>
public static partial class Latency
{
    private const string AcceptedForms =
        "a non-negative number and a unit (ns, us, µs, ms, s), e.g. 20ms, 0.3ms, 1s, 150us";

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var span, out var error) ? span : throw new FormatException(error);

    public static bool TryParse(string? text, out TimeSpan span) => TryParse(text, out span, out _);

    private static bool TryParse(string? text, out TimeSpan span, out string error)
    {
        span = default;
        var m = Syntax().Match(text?.Trim() ?? "");
        if (!m.Success)
        {
            error = $"'{text}' is not a time span: expected {AcceptedForms}";
            return false;
        }
        double value = double.Parse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        double secondsPerUnit = m.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "ns" => 1e-9,
            "us" or "µs" or "μs" => 1e-6,
            "ms" => 1e-3,
            "s" or "sec" => 1,
            _ => 0,
        };
        if (secondsPerUnit == 0)
        {
            error = $"'{text}' is not a time span: unknown unit '{m.Groups["unit"].Value}'; expected {AcceptedForms}";
            return false;
        }
        double seconds = value * secondsPerUnit;
        if (double.IsInfinity(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds)
        {
            error = $"'{text}' is not a time span: it is too long; expected {AcceptedForms}";
            return false;
        }
        span = FromSeconds(seconds);
        error = "";
        return true;
    }

    /// <summary>The nearest whole number of ticks (100 ns), so that 0.15 ms stays exactly 0.15 ms.</summary>
    public static TimeSpan FromSeconds(double seconds) =>
        TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero));

    /// <summary>Prints a span in the unit that keeps the number readable, e.g. "0.3 ms", "40 ms", "1.5 s", "50 us".</summary>
    public static string Format(TimeSpan span)
    {
        double s = span.TotalSeconds;
        (double scale, string unit) = Math.Abs(s) switch
        {
            >= 1 => (1.0, "s"),
            >= 1e-4 => (1e-3, "ms"),
            0 => (1e-3, "ms"),
            _ => (1e-6, "us"),
        };
        return (s / scale).ToString("0.####", CultureInfo.InvariantCulture) + " " + unit;
    }

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?([eE][+-]?\d+)?)\s*(?<unit>[a-zA-Zµμ]+)$")]
    private static partial Regex Syntax();
}
