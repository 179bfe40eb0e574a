using System.Globalization;
using System.Text;
using CoPriv.Actors.Sessions;
using CoPriv.Protocols.Core;

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

    /// <summary>
    /// A session at one party: its state and data plane, then per layer the state, progress (a bar with
    /// <paramref name="bars"/>), bytes sent and received against the cost model's prediction, bytes per phase
    /// (pre-processing and online, sent/received), the step thread's CPU time and the wall time.
    /// </summary>
    public static string Session(SessionStatus s, bool bars = false)
    {
        var text = new StringBuilder()
            .AppendLine($"session {s.SessionId} at the {Role(s.Role)}: {s.State}, {s.StepsDone}/{s.Layers.Count} steps done, {Duration(s.Elapsed)}")
            .AppendLine($"  peer: {s.Peer ?? "-"}")
            .AppendLine($"  data plane: {s.DataPlane ?? "-"}")
            .AppendLine($"  sent {Bytes(s.BytesSent)}, received {Bytes(s.BytesReceived)}, peak in flight {Bytes(s.PeakInFlightBytes)}");
        if (s.Failure is not null) text.AppendLine($"  failed in {s.FailedStep ?? "-"}: {s.Failure}");
        var rows = s.Layers.Select(l => new[]
        {
            l.Position.ToString(CultureInfo.InvariantCulture), l.Name, l.State.ToString(),
            bars ? Bar(l.Progress) : string.Create(CultureInfo.InvariantCulture, $"{l.Progress * 100:0} %"),
            Bytes(l.BytesSent), Bytes(l.BytesReceived),
            l.Predicted is { } p ? $"{Bytes(p.SentBy(s.Role))} / {Bytes(p.SentBy(s.Role.Peer()))}" : "-",
            PhaseBytes(l, Protocols.Channels.Phase.Preprocessing), PhaseBytes(l, Protocols.Channels.Phase.Online),
            l.Compute is { } cpu ? Duration(cpu) : "-", Duration(l.Elapsed),
        }).ToList();
        return text.Append(Table(["#", "layer", "state", "progress", "sent", "received", "predicted sent / received",
            "pre-processing s/r", "online s/r", "cpu", "time"], rows)).ToString();
    }

    private static string Bar(double progress)
    {
        const int width = 20;
        int filled = (int)Math.Round(Math.Clamp(progress, 0, 1) * width);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('.', width - filled)}] {progress * 100,3:0}%");
    }

    private static string PhaseBytes(LayerStatus l, Protocols.Channels.Phase phase) =>
        l.Phases.In(phase) is var (sent, received) && sent + received > 0 ? $"{Bytes(sent)} / {Bytes(received)}" : "-";

    /// <summary>The actor paths as an indented tree under each root.</summary>
    public static string Hierarchy(IReadOnlyList<string> paths)
    {
        var text = new StringBuilder();
        int rootDepth = paths.Min(p => p.Split('/', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (var path in paths)
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            text.Append(' ', 2 * (parts.Length - rootDepth)).AppendLine(parts.Length == rootDepth ? path : parts[^1]);
        }
        return text.ToString();
    }

    internal static string Members(IReadOnlyList<ClusterPalette.MemberView> members) =>
        Table(["address", "status", "roles", "reachable", ""], members.Select(m => new[]
        {
            m.Address, m.Status, string.Join(",", m.Roles), m.Reachable ? "yes" : "NO",
            string.Join(" ", new[] { m.Leader ? "leader" : "", m.Self ? "(this node)" : "" }.Where(x => x.Length > 0)),
        }).ToList());

    internal static string Remote(string self, bool metered, IReadOnlyList<RemotePalette.AssociationTrafficView> associations,
        IReadOnlyList<ClusterPalette.MemberView> peers, IReadOnlyList<RemotePalette.DataPlaneView> dataPlanes)
    {
        var text = new StringBuilder().AppendLine($"this node: {self}");
        text.AppendLine(metered
            ? "associations (Akka.Remote; bytes are its frames, messages the actor messages among them, both since this node started):"
            : $"associations (Akka.Remote; no counts: akka.remote.dot-netty.tcp.applied-adapters lacks {Remoting.RemoteTrafficAdapterProvider.Name}):");
        text.Append(associations.Count == 0 ? "  (none)\n"
            : Table(["peer", "direction", "state", "since", "sent", "received", "messages sent", "messages received", "last error"],
                associations.Select(a => new[]
                {
                    a.Peer, a.Direction, a.State, a.Since?.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                    Bytes(a.BytesSent), Bytes(a.BytesReceived), a.MessagesSent.ToString(CultureInfo.InvariantCulture),
                    a.MessagesReceived.ToString(CultureInfo.InvariantCulture), a.LastError ?? "",
                }).ToList()));
        if (peers.Count > 0)
            text.AppendLine("cluster peers:").Append(Members(peers));
        text.AppendLine("session data planes:");
        text.Append(dataPlanes.Count == 0 ? "  (no live session)\n"
            : Table(["session", "role", "connection", "sent", "received"], dataPlanes.Select(d => new[]
            {
                d.SessionId, d.Role, d.Connection, Bytes(d.BytesSent), Bytes(d.BytesReceived),
            }).ToList()));
        return text.ToString();
    }

    public static string Link(LinkView link)
    {
        var text = new StringBuilder()
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"session {link.SessionId}: link {link.Link} ({link.Mode}), bandwidth {(link.BandwidthBitsPerSecond is { } b ? $"{b / 1e6:0.#} Mbit/s" : "unlimited")}, RTT {link.RoundTripTime.TotalMilliseconds:0.###} ms, latency so far {Duration(link.Latency)}"));
        return text.Append(Table(["direction", "bytes carried", "messages", "queued"], link.Directions.Select(d => new[]
        {
            d.Direction, Bytes(d.BytesCarried), d.MessagesCarried.ToString(CultureInfo.InvariantCulture),
            d.BytesQueued is { } q ? Bytes(q) : "- (virtual time)",
        }).ToList())).ToString();
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
