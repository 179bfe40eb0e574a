using System.Text.Json;
using System.Text.RegularExpressions;
using CoPriv.TestSupport;
using static CoPriv.Pbm.Tests.PbmRun;

namespace CoPriv.Pbm.Tests;

/// <summary>pbm against a real `copriv serve` while real `copriv infer` clients join, run a session and leave.</summary>
public sealed class ClusterInspectionTests(ServingNode node) : IClassFixture<ServingNode>
{
    private static readonly TimeSpan Patience = ServingNode.Patience;

    [Fact]
    public async Task The_server_shows_both_members_with_their_roles_the_association_to_the_client_and_tails_its_leave()
    {
        using var stopTail = new CancellationTokenSource();
        var tailed = new ConcurrentStringWriter();
        var tail = PbmApp.RunAsync([node.Inspector, "cluster", "tail"], tailed, new ConcurrentStringWriter(), TimeSpan.FromSeconds(20), stopTail.Token);

        using var client = node.StartClient();
        // Membership converges over a few gossip rounds: wait for both rows before reading them. The leader is whichever
        // Up member has the lowest address (ports are the OS's choice), so the server row need not be the leader's.
        var serverRow = $@"akka\.ssl\.tcp://copriv@{Regex.Escape(node.ServerAddress)}\s+Up\s+server\s+yes";
        var show = await Until(r => Regex.IsMatch(r.Output, @"copriv@127\.0\.0\.1:\d+\s+Up\s+client\s+yes") && Regex.IsMatch(r.Output, serverRow),
            Patience, node.Inspector, "cluster", "show");
        Assert.Matches(serverRow, show.Output);
        var clientAddress = Regex.Match(show.Output, @"(akka\.ssl\.tcp://copriv@127\.0\.0\.1:\d+)\s+Up\s+client").Groups[1].Value;

        var remote = await Until(r => r.Output.Contains(", TLS"), Patience, node.Inspector, "remote", "show");
        // The client's association, with the bytes and actor messages its transport carried each way.
        Assert.Matches($@"{Regex.Escape(clientAddress)}\s+inbound\s+associated\s+\d\d:\d\d:\d\d\s+[1-9][\d.]* (B|KiB|MiB)\s+[1-9][\d.]* (B|KiB|MiB)\s+[1-9]\d*\s+[1-9]\d*",
            remote.Output);
        Assert.Matches(@"server\s+tcp 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+, TLS", remote.Output);

        Assert.Equal(0, await client.ExitCodeAsync(Patience));
        await Until(_ => tailed.ToString().Contains($"left         {clientAddress} roles client"), Patience, node.Inspector, "help");
        await stopTail.CancelAsync();
        Assert.Equal(PbmApp.Ok, await tail.WaitAsync(Patience));
        var events = tailed.ToString();
        Assert.Contains($"member-up    {clientAddress} roles client", events);
        Assert.Contains($"left         {clientAddress} roles client", events);
    }

    [Fact]
    public async Task Kill_is_refused_without_the_token_and_the_session_goes_on_and_with_it_ends_both_sides_naming_the_reason_at_the_client()
    {
        using var client = node.StartClient();
        var running = await Until(r => r.Output.Contains("\"state\":\"running\""), Patience, node.Inspector, "--json", "copriv", "sessions");
        string id;
        using (var json = JsonDocument.Parse(running.Output))
            id = json.RootElement[0].GetProperty("active")[0].GetProperty("sessionId").GetString()!;

        var refused = await Run(node.Inspector, "copriv", "kill", id, "no", "token");
        Assert.Equal(PbmApp.CommandFailed, refused.Exit);
        Assert.Contains("refused", refused.Error);
        int before = StepsDone(await Run(node.Inspector, "copriv", "session", id));
        var later = await Until(r => StepsDone(r) > before, Patience, node.Inspector, "copriv", "session", id);
        Assert.Contains($"session {id} at the server: Running", later.Output);

        var kill = await Run(node.Inspector, "--token", ServingNode.Token, "copriv", "kill", id, "maintenance", "window");
        Assert.Equal(PbmApp.Ok, kill.Exit);
        Assert.Equal(1, await client.ExitCodeAsync(Patience));
        // The client names the reason whichever arrives first: the abort, or its data plane closed by the server.
        Assert.True(Regex.IsMatch(client.Stderr, $@"copriv: error: session {id} with the server at .* failed at the (server|client) in layer-\d\d-[a-z0-9]+: .*killed at the server: maintenance window"),
            client.Stderr);
        var ended = await Until(r => r.Output.Contains("Failed"), Patience, node.Inspector, "copriv", "session", id);
        Assert.Contains($"session {id} at the server: Failed", ended.Output);
    }

    private static int StepsDone((int Exit, string Output, string Error) session) =>
        Regex.Match(session.Output, @"Running, (\d+)/\d+ steps done") is { Success: true } m ? int.Parse(m.Groups[1].Value) : -1;
}
