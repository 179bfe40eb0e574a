using System.Text.Json;
using System.Text.RegularExpressions;
using static CoPriv.Pbm.Tests.PbmRun;

namespace CoPriv.Pbm.Tests;

/// <summary>pbm against a real `copriv simulate --inspect` process while its ResNet-32 session runs.</summary>
public sealed class SimulationInspectionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _out = Directory.CreateTempSubdirectory("pbm-sim-").FullName;

    /// <summary>An emulated 300 Mbit/s link holds the session open for several seconds of real time.</summary>
    internal static NodeProcess StartSimulation(string outDirectory) => NodeProcess.Copriv(null,
        "simulate", "--model", "resnet32", "--width", "0.25", "--protocol", "copriv", "--mode", "emulate",
        "--bandwidth", "300mbit", "--rtt", "1ms", "--no-charts", "--out", outDirectory, "--inspect", "127.0.0.1:0");

    internal const string SessionId = "copriv-custom-1";

    [Fact]
    public async Task Pbm_lists_the_running_layer_sees_the_bytes_grow_reads_the_log_and_watch_ends_with_the_session()
    {
        using var simulation = StartSimulation(_out);
        var endpoint = await simulation.InspectorAsync(Patience);

        var hierarchy = await Until(r => Regex.IsMatch(r.Output, @"\n      layer-\d\d-[a-z0-9]+\n"), Patience, endpoint, "actor", "hierarchy");
        var tree = hierarchy.Output.Split('\n');
        Assert.Equal("/user", tree[0]);
        Assert.Contains("  server", tree);
        Assert.Contains("  client", tree);
        Assert.Contains($"    session-{SessionId}", tree);
        Assert.Contains(tree, line => Regex.IsMatch(line, @"^      layer-\d\d-[a-z0-9]+$"));

        long first = await ServerBytes(endpoint);
        long later = first;
        var deadline = DateTime.UtcNow + Patience;
        while (later <= first && DateTime.UtcNow < deadline)
        {
            await Task.Delay(300);
            later = await ServerBytes(endpoint);
        }
        Assert.True(later > first, $"the session's bytes grow between two calls ({first} then {later})");

        var session = await Run(endpoint, "copriv", "session", SessionId);
        Assert.Contains($"session {SessionId} at the server: Running", session.Output);
        Assert.Matches(@"predicted sent / received\s+pre-processing s/r\s+online s/r\s+cpu\s+time", session.Output);

        var network = await Run(endpoint, "copriv", "network");
        Assert.Contains($"session {SessionId}: link custom (emulate), bandwidth 300 Mbit/s, RTT 1 ms", network.Output);

        var peek = await Until(r => r.Output.Count(c => c == '\n') >= 20, Patience, endpoint, "log", "peek", "-n", "20");
        Assert.Equal(0, peek.Exit);
        var lines = peek.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, lines.Length);
        Assert.All(lines.Where(l => l.Contains($"/session-{SessionId}")), l => Assert.Contains($"[session {SessionId}", l));
        Assert.All(lines.Where(l => l.Contains("] step ")), l => Assert.Matches($@"\[session {SessionId} layer-\d\d-[a-z0-9]+\] step \d+/\d+ finished", l));

        var watch = await Run(endpoint, "copriv", "watch", SessionId).WaitAsync(Patience);
        Assert.Equal(0, watch.Exit);
        Assert.Contains($"session {SessionId} at the client: Completed", watch.Output);
        Assert.Contains("[####################] 100%", watch.Output);
        Assert.Equal(0, await simulation.ExitCodeAsync(Patience));
    }

    /// <summary>
    /// A simulated (not emulated) WAN session ends and the process stops right after it: the watch still draws both
    /// parties' outcome and exits 0, instead of losing its connection while the inspector stops.
    /// </summary>
    [Fact]
    public async Task Watch_draws_the_outcome_when_the_process_stops_right_after_the_session()
    {
        using var simulation = NodeProcess.Copriv(null, "simulate", "--model", "resnet32", "--width", "0.5", "--protocol", "copriv",
            "--network", "wan", "--no-charts", "--out", _out, "--inspect", "127.0.0.1:0");
        var endpoint = await simulation.InspectorAsync(Patience);
        const string id = "copriv-wan-1";
        await Until(r => r.Output.Contains($"{id}  Running"), Patience, endpoint, "copriv", "sessions");

        var watch = await Run(endpoint, "copriv", "watch", id).WaitAsync(Patience);
        Assert.True(watch.Exit == 0, $"watch exit {watch.Exit}: {watch.Error}");
        Assert.Contains($"session {id} at the server: Completed", watch.Output);
        Assert.Contains($"session {id} at the client: Completed", watch.Output);
        Assert.Equal(0, await simulation.ExitCodeAsync(Patience));
    }

    private static async Task<long> ServerBytes(string endpoint)
    {
        var answer = await Run(endpoint, "--json", "copriv", "session", SessionId);
        Assert.Equal(0, answer.Exit);
        using var json = JsonDocument.Parse(answer.Output);
        var server = json.RootElement.EnumerateArray().Single(s => s.GetProperty("role").GetString() == "server");
        return server.GetProperty("bytesSent").GetInt64() + server.GetProperty("bytesReceived").GetInt64();
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
