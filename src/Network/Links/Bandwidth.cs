using System.Globalization;
using System.Text.RegularExpressions;

namespace CoPriv.Network.Links;

/// <summary>
/// The rate at which a link puts bytes on the wire, in bytes per second (or unlimited). Parsed from the forms people
/// write: a number and a unit where a lowercase <c>b</c> or <c>bit</c> means bits and an uppercase <c>B</c> or
/// <c>byte</c> means bytes (<c>100mbit</c>, <c>1gbit</c>, <c>3gbps</c>, <c>400Mbit/s</c>, <c>377MB/s</c>,
/// <c>64KiB/s</c>). Prefixes k, M, G, T are decimal and Ki, Mi, Gi, Ti binary, in either case; "per second" may be
/// written <c>/s</c>, <c>ps</c> or left out.
/// </summary>
public readonly partial record struct Bandwidth : IComparable<Bandwidth>
{
    private const string AcceptedForms =
        "a positive number and a unit, e.g. 100mbit, 1gbit, 3gbps, 400Mbit/s (bits per second) or 377MB/s, 64KiB/s " +
        "(bytes per second; lowercase b = bits, uppercase B = bytes), or 'unlimited'";

    private Bandwidth(double bytesPerSecond) => BytesPerSecond = bytesPerSecond;

    /// <summary>Bytes per second; <see cref="double.PositiveInfinity"/> when unlimited.</summary>
    public double BytesPerSecond { get; }

    public double BitsPerSecond => BytesPerSecond * 8;

    public bool IsUnlimited => double.IsPositiveInfinity(BytesPerSecond);

    /// <summary>A link that serialises any message in no time (only its latency remains).</summary>
    public static Bandwidth Unlimited { get; } = new(double.PositiveInfinity);

    public static Bandwidth FromBytesPerSecond(double bytesPerSecond)
    {
        if (!(bytesPerSecond > 0) || double.IsNaN(bytesPerSecond))
            throw new ArgumentException($"bandwidth must be positive, got {bytesPerSecond} bytes/s", nameof(bytesPerSecond));
        return new Bandwidth(bytesPerSecond);
    }

    public static Bandwidth FromBitsPerSecond(double bitsPerSecond) => FromBytesPerSecond(bitsPerSecond / 8);

    /// <summary>Seconds the link needs to put <paramref name="bytes"/> on the wire.</summary>
    public double SecondsFor(long bytes) => IsUnlimited ? 0 : bytes / BytesPerSecond;

    public static Bandwidth Parse(string text) =>
        TryParse(text, out var bandwidth, out var error)
            ? bandwidth
            : throw new FormatException(error);

    public static bool TryParse(string? text, out Bandwidth bandwidth) => TryParse(text, out bandwidth, out _);

    private static bool TryParse(string? text, out Bandwidth bandwidth, out string error)
    {
        bandwidth = default;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            bandwidth = Unlimited;
            error = "";
            return true;
        }
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            // A bare number would otherwise split into a shorter number and a digit "unit".
            error = $"'{text}' is not a bandwidth: the number has no unit; expected {AcceptedForms}";
            return false;
        }
        var m = Syntax().Match(trimmed);
        if (!m.Success)
        {
            error = $"'{text}' is not a bandwidth: expected {AcceptedForms}";
            return false;
        }
        double value = double.Parse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!TryUnitBytes(m.Groups["unit"].Value, out double bytesPerUnit))
        {
            error = $"'{text}' is not a bandwidth: unknown unit '{m.Groups["unit"].Value}'; expected {AcceptedForms}";
            return false;
        }
        double bytesPerSecond = value * bytesPerUnit;
        if (!(bytesPerSecond > 0) || double.IsInfinity(bytesPerSecond))
        {
            error = $"'{text}' is not a bandwidth: it must be positive and finite; expected {AcceptedForms}";
            return false;
        }
        bandwidth = new Bandwidth(bytesPerSecond);
        error = "";
        return true;
    }

    /// <summary>Bytes per second that one unit stands for, e.g. "Mbit/s" → 125000.</summary>
    private static bool TryUnitBytes(string unit, out double bytes)
    {
        bytes = 0;
        var m = UnitSyntax().Match(unit);
        if (!m.Success) return false;
        string prefix = m.Groups["prefix"].Value.ToLowerInvariant();
        double scale = prefix switch
        {
            "" => 1,
            "k" => 1e3, "m" => 1e6, "g" => 1e9, "t" => 1e12,
            "ki" => 1024.0, "mi" => 1024.0 * 1024, "gi" => 1024.0 * 1024 * 1024, "ti" => 1024.0 * 1024 * 1024 * 1024,
            _ => 0,
        };
        string baseUnit = m.Groups["base"].Value;
        double unitBytes = baseUnit switch
        {
            "b" => 1.0 / 8,
            "B" => 1,
            _ when baseUnit.StartsWith("bit", StringComparison.OrdinalIgnoreCase) => 1.0 / 8,
            _ when baseUnit.StartsWith("byte", StringComparison.OrdinalIgnoreCase) => 1,
            _ => 0,
        };
        bytes = scale * unitBytes;
        return bytes > 0;
    }

    public int CompareTo(Bandwidth other) => BytesPerSecond.CompareTo(other.BytesPerSecond);

    /// <summary>In bits per second with the largest decimal prefix that keeps the number ≥ 1, e.g. "3 Gbit/s".</summary>
    public override string ToString()
    {
        if (IsUnlimited) return "unlimited";
        double bits = BitsPerSecond;
        (double scale, string unit) = bits switch
        {
            >= 1e12 => (1e12, "Tbit/s"),
            >= 1e9 => (1e9, "Gbit/s"),
            >= 1e6 => (1e6, "Mbit/s"),
            >= 1e3 => (1e3, "kbit/s"),
            _ => (1, "bit/s"),
        };
        return (bits / scale).ToString("0.####", CultureInfo.InvariantCulture) + " " + unit;
    }

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?([eE][+-]?\d+)?)\s*(?<unit>\S+)$")]
    private static partial Regex Syntax();

    [GeneratedRegex(@"^(?<prefix>([kKmMgGtT][iI]?)?)(?<base>b|B|[bB][iI][tT][sS]?|[bB][yY][tT][eE][sS]?)(/s|/sec|ps)?$")]
    private static partial Regex UnitSyntax();
}
