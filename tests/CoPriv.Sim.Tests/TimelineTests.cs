using System.Text.Json;
using CoPriv.Network;
using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Protocols.Core;
using CoPriv.Sim.Links;
using CoPriv.Sim.Reports;

namespace CoPriv.Sim.Tests;

/// <summary>The timeline of a simulated run: each party's compute, sending and waiting on its virtual clock, and its chart.</summary>
public sealed class TimelineTests : SimulatorPerTest
{
    private async Task<SimulationReport> Run(string protocol, string network, NetworkMode mode = NetworkMode.Simulate) =>
        await Simulator.RunAsync(TinyModels.ConvReluFc(), TinyModels.Request(protocol, network, mode));

    /// <summary>
    /// One flow per party (a ping-pong on one thread in each of two steps): the union of its compute is all of its
    /// compute, its waits all of its waiting, and a party never computes while it waits; its sending is what it sent
    /// over the bandwidth.
    /// </summary>
    [Fact]
    public async Task With_one_flow_per_party_the_timeline_holds_exactly_its_compute_waiting_and_bytes_over_the_bandwidth()
    {
        var link = LinkPresets.Wan;
        var session = new SimulatedLinkSession(link, ComputeTimer.ThreadCpu);
        int[] sizes = [1000, 20, 70_000, 5, 300, 1_000_000, 64];
        void Party(PartyRole role)
        {
            var stream = session.ChannelOf(role).Stream("ping");
            for (int step = 0; step < 2; step++)
            {
                using var scope = session.AroundStep(role, $"layer-0{step}-ping");
                for (int i = 0; i < sizes.Length; i++)
                {
                    if ((i % 2 == 0) == (role == PartyRole.Server)) stream.Send(new byte[sizes[i]]);
                    else stream.Receive(new byte[sizes[i]]);
                }
            }
        }
        await Task.WhenAll(
            Task.Factory.StartNew(() => Party(PartyRole.Server), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => Party(PartyRole.Client), TaskCreationOptions.LongRunning));

        var timeline = session.Timeline();
        double latency = session.Latency.TotalSeconds;
        Assert.Equal(0, timeline.ResolutionSeconds);
        foreach (var role in new[] { PartyRole.Server, PartyRole.Client })
        {
            var party = timeline.Parties[(int)role];
            var timing = session.TimingOf(role);
            long sent = 2L * sizes.Where((_, i) => (i % 2 == 0) == (role == PartyRole.Server)).Sum();
            Assert.Equal(role.ToString().ToLowerInvariant(), party.Role);
            AssertRowsWellFormed(party, latency);
            Assert.Equal(timing.ComputeTime.TotalSeconds, party.ComputeSeconds, tolerance: 1e-6);
            Assert.Equal(timing.WaitTime.TotalSeconds, party.WaitingSeconds, tolerance: 1e-6);
            Assert.True(party.WaitingSeconds >= 2 * 3 * link.PropagationSeconds, $"{role} waited {party.WaitingSeconds} s");
            Assert.Equal(sent, party.SentBytes);
            Assert.Equal(sent / link.EffectiveBandwidth.BytesPerSecond, party.SendingSeconds, tolerance: 1e-12);
            Assert.All(party.Sending.Concat(party.Compute).Concat(party.Waiting), s => Assert.Equal(s.End - s.Start, s.CoveredSeconds, tolerance: 1e-12));
            Assert.DoesNotContain(party.Compute, c => party.Waiting.Any(w => Math.Min(c.End, w.End) - Math.Max(c.Start, w.Start) > 1e-12));
            Assert.Equal(["layer-00-ping", "layer-01-ping"], party.Layers.Select(l => l.Layer));
            Assert.True(party.Layers[1].StartSeconds > party.Layers[0].StartSeconds + 3 * link.PropagationSeconds);
        }
    }

    [Theory]
    [InlineData("copriv")]
    [InlineData("cryptflow2")]
    public async Task A_simulated_run_s_timeline_is_well_formed_consistent_with_its_timing_and_marks_every_layer(string protocol)
    {
        var run = (await Run(protocol, "wan")).Protocols.Single();
        var timeline = Assert.IsType<RunTimeline>(run.Timeline);
        var bandwidth = NetworkSettings.Parse("wan").Link.EffectiveBandwidth.BytesPerSecond;

        Assert.Equal(["server", "client"], timeline.Parties.Select(p => p.Role));
        Assert.Equal(run.TotalBytes + run.SetupBytes, timeline.Parties.Sum(p => p.SentBytes));
        var steps = run.OnlineRoundTripsPerLayer.Select(l => l.Layer).ToArray();
        foreach (var (party, compute) in timeline.Parties.Zip([run.ServerComputeSeconds!.Value, run.ClientComputeSeconds!.Value]))
        {
            AssertRowsWellFormed(party, run.SimulatedSeconds);
            // Compute is the union over the party's flows: never more than their sum, and there is some.
            Assert.InRange(party.ComputeSeconds, 1e-9, compute + 1e-6);
            Assert.Equal(party.SentBytes / bandwidth, party.SendingSeconds, tolerance: 1e-9 * party.SendingSeconds);
            Assert.InRange(party.WaitingSeconds, 1e-9, run.SimulatedSeconds);
            Assert.Equal(steps, party.Layers.Select(l => l.Layer));
            Assert.True(party.Layers.Zip(party.Layers.Skip(1)).All(pair => pair.First.StartSeconds <= pair.Second.StartSeconds), "layers out of order");
            Assert.InRange(party.Layers[^1].StartSeconds, party.Layers[0].StartSeconds, run.SimulatedSeconds);
        }
    }

    [Fact]
    public async Task The_report_writes_a_timeline_chart_per_simulated_run_and_names_it_with_each_party_s_totals()
    {
        var report = await Run("copriv", "wan");
        var directory = Directory.CreateTempSubdirectory("copriv-timeline-");
        try
        {
            var written = ReportWriter.Write(report, directory.FullName);

            var chart = new FileInfo(Path.Combine(directory.FullName, "timeline-copriv-wan.png"));
            Assert.Contains(chart.FullName, written.Files);
            Assert.True(chart.Exists && chart.Length > 1000, $"{chart.FullName}: {(chart.Exists ? chart.Length : -1)} bytes");
            using (var png = chart.OpenRead())
            {
                var magic = new byte[8];
                png.ReadExactly(magic);
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, magic);
            }

            var markdown = File.ReadAllText(Path.Combine(directory.FullName, "report.md"));
            var server = report.Protocols.Single().Timeline!.Parties[0];
            Assert.Contains("(timeline-copriv-wan.png)", markdown);
            Assert.Contains(FormattableString.Invariant($"server compute {server.ComputeSeconds:F3} s, sending {server.SendingSeconds:F3} s, waiting {server.WaitingSeconds:F3} s"), markdown);

            using var json = JsonDocument.Parse(written.Json);
            var party = json.RootElement.GetProperty("protocols")[0].GetProperty("timeline").GetProperty("parties")[0];
            Assert.Equal("server", party.GetProperty("role").GetString());
            var first = party.GetProperty("sending")[0];
            Assert.Equal((JsonValueKind.Array, 3), (first.ValueKind, first.GetArrayLength()));
            Assert.Equal(server.Sending[0], new TimelineSegment(first[0].GetDouble(), first[1].GetDouble(), first[2].GetDouble()));
            Assert.Equal("layer-00-setup", party.GetProperty("layers")[0].GetProperty("layer").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_emulated_run_keeps_no_timeline_and_gets_no_timeline_chart()
    {
        var report = await Run("copriv", "lan", NetworkMode.Emulate);
        var directory = Directory.CreateTempSubdirectory("copriv-timeline-");
        try
        {
            Assert.Null(report.Protocols.Single().Timeline);
            var written = ReportWriter.Write(report, directory.FullName);
            Assert.DoesNotContain(written.Files, f => Path.GetFileName(f).StartsWith("timeline-", StringComparison.Ordinal));
            Assert.Contains("\"timeline\": null", written.Json);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Every row sorted, its segments non-empty and disjoint, all within [0, the run's latency], each busy for at most
    /// its length, and the row's seconds what its segments cover.
    /// </summary>
    private static void AssertRowsWellFormed(PartyTimeline party, double latency)
    {
        foreach (var (kind, row) in new[] { ("compute", party.Compute), ("sending", party.Sending), ("waiting", party.Waiting) })
        {
            Assert.NotEmpty(row);
            Assert.All(row, s => Assert.True(s.Start >= 0 && s.Start < s.End && s.End <= latency,
                $"{party.Role} {kind} [{s.Start}, {s.End}] outside [0, {latency}]"));
            Assert.All(row.Zip(row.Skip(1)), pair => Assert.True(pair.First.End < pair.Second.Start,
                $"{party.Role} {kind} [{pair.First.Start}, {pair.First.End}] and [{pair.Second.Start}, {pair.Second.End}] not sorted and disjoint"));
            Assert.All(row, s => Assert.InRange(s.CoveredSeconds, 0, (s.End - s.Start) * (1 + 1e-12)));
            Assert.Equal(kind switch
            {
                "compute" => party.ComputeSeconds,
                "sending" => party.SendingSeconds,
                _ => party.WaitingSeconds,
            }, row.Sum(s => s.CoveredSeconds), tolerance: 1e-9);
        }
    }
}
