using System.Globalization;
using System.Text;
using CoPriv.Actors.Sessions;

namespace CoPriv.Actors.Inspection;

/// <summary>Plain-text renderings of party and session status for the inspector's answers.</summary>
public static class StatusText
{
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    public static string Duration(TimeSpan t) => t.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:0.0} min");

    public static string Party(PartyStatus p) => new StringBuilder()
        .AppendLine($"{Role(p.Role)} party {p.Path}")
        .AppendLine($"  up {Duration(p.Uptime)}; sessions: {p.Active.Count} running, {p.Started} started, {p.Completed} completed, {p.Failed} failed, {p.Rejected} rejected")
        .AppendLine($"  traffic of finished sessions: sent {Bytes(p.BytesSent)}, received {Bytes(p.BytesReceived)}")
        .ToString();

    public static string Sessions(PartyStatus p)
    {
        var rows = p.Active.Concat(p.Recent).Select(s => new[]
        {
            s.SessionId, s.State.ToString(), $"{s.StepsDone}/{s.StepCount}", s.CurrentStep ?? "-",
            Bytes(s.BytesSent), Bytes(s.BytesReceived), Duration(s.Elapsed), s.Failure ?? "",
        }).ToList();
        var text = new StringBuilder().AppendLine($"{Role(p.Role)} party {p.Path}: {p.Active.Count} running, {p.Recent.Count} recent");
        if (rows.Count == 0) return text.AppendLine("  (no sessions)").ToString();
        return text.Append(Table(["session", "state", "steps", "current", "sent", "received", "time", "failure"], rows)).ToString();
    }

    public static string Session(SessionStatus s)
    {
        var text = new StringBuilder()
            .AppendLine($"session {s.SessionId} at the {Role(s.Role)}: {s.State}, {s.StepsDone}/{s.Layers.Count} steps done, {Duration(s.Elapsed)}")
            .AppendLine($"  peer: {s.Peer ?? "-"}")
            .AppendLine($"  sent {Bytes(s.BytesSent)}, received {Bytes(s.BytesReceived)}, peak in flight {Bytes(s.PeakInFlightBytes)}");
        if (s.Failure is not null) text.AppendLine($"  failed in {s.FailedStep ?? "-"}: {s.Failure}");
        var rows = s.Layers.Select(l => new[]
        {
            l.Position.ToString(CultureInfo.InvariantCulture), l.Name, l.State.ToString(),
            string.Create(CultureInfo.InvariantCulture, $"{l.Progress * 100:0} %"),
            Bytes(l.BytesSent), Bytes(l.BytesReceived), Duration(l.Elapsed),
        }).ToList();
        return text.Append(Table(["#", "layer", "state", "progress", "sent", "received", "time"], rows)).ToString();
    }

    public static string Tree(IReadOnlyList<string> paths)
    {
        var text = new StringBuilder().AppendLine("/user");
        foreach (var path in paths)
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || parts[0] != "user") continue;
            text.Append(' ', 2 * (parts.Length - 1)).AppendLine(parts[^1]);
        }
        return text.ToString();
    }

    private static string Role(Protocols.Core.PartyRole role) => role.ToString().ToLowerInvariant();

    private static string Table(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) =>
            text.Append("  ").AppendLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        foreach (var row in rows) Line(row);
        return text.ToString();
    }
}
