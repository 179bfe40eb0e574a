using System.Net.Sockets;
using System.Net;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Inspection;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;
using CoPriv.Pbm;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Tests;

/// <summary>The inspector host on an OS-chosen loopback port, driven by the pbm client as a user would.</summary>
public sealed class InspectorTests : IAsyncLifetime
{
    private readonly HeldSession _held = new();
    private PartyHost _host = null!;
    private string _endpoint = "";

    public Task InitializeAsync()
    {
        _host = PartyHost.Start(new PartyHostOptions
        {
            SystemName = "inspected", ServerPlanner = _ => _held.Plan(), Client = true, Inspector = new InspectorOptions("127.0.0.1", 0, null),
        });
        _endpoint = $"127.0.0.1:{_host.InspectorEndpoint!.Port}";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Task<(int Exit, string Output, string Error)> Pbm(params string[] args) => PbmInProcess.RunAsync(args);

    private Task<SessionCompleted> StartHeldSession(string id) =>
        _host.RunSessionAsync(_host.Server!, _held.Plan(), TimeSpan.FromSeconds(20), sessionId: id);

    [Fact]
    public async Task Pbm_lists_and_shows_a_live_session_with_its_layers_and_the_actor_tree()
    {
        Assert.NotEqual(CoPriv.Actors.Inspection.InspectorWire.DefaultPort, _host.InspectorEndpoint!.Port);
        var session = StartHeldSession("held");

        var shown = await Eventually.Get(() => Pbm(_endpoint, "copriv", "session", "held"), r => r.Exit == 0 && r.Output.Contains("50 %"));
        Assert.Equal(0, shown.Exit);
        Assert.Contains("session held at the server: Running", shown.Output);
        Assert.Contains("session held at the client: Running", shown.Output);
        Assert.Matches(@"1\s+layer-00-hold\s+Running\s+50 %", shown.Output);

        var sessions = await Pbm(_endpoint, "copriv", "sessions");
        Assert.Equal(0, sessions.Exit);
        Assert.Matches(@"held\s+Running\s+0/1\s+layer-00-hold", sessions.Output);

        var tree = await Pbm(_endpoint, "actor", "hierarchy");
        Assert.Equal(0, tree.Exit);
        var lines = tree.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        foreach (var expected in new[] { "/user", "  server", "    session-held", "      layer-00-hold", "  client", "  inspector" })
            Assert.Contains(expected, lines);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith('$'));

        var withSystem = await Pbm(_endpoint, "actor", "hierarchy", "--system", "-d", "1");
        Assert.Equal(0, withSystem.Exit);
        Assert.Contains("/system", withSystem.Output.Split('\n'));
        Assert.DoesNotContain("session-held", withSystem.Output);

        var subtree = await Pbm(_endpoint, "actor", "hierarchy", "/user/client");
        Assert.StartsWith("/user/client\n", subtree.Output);
        Assert.DoesNotContain("server", subtree.Output);

        _held.Release();
        var completed = await session;
        Assert.Equal(SessionState.Completed, completed.Status.State);

        var party = await Eventually.Get(() => Pbm(_endpoint, "copriv", "party"), r => r.Exit == 0 && !r.Output.Contains("1 running"));
        Assert.Equal(0, party.Exit);
        Assert.Contains("server party akka://inspected/user/server", party.Output);
        Assert.Contains("0 running, 1 started, 1 completed, 0 failed, 0 rejected", party.Output);
        Assert.Contains("client party akka://inspected/user/client", party.Output);
    }

    [Fact]
    public async Task Pbm_kill_fails_the_session_at_both_parties()
    {
        var session = StartHeldSession("doomed");
        await Eventually.Get(() => Pbm(_endpoint, "copriv", "session", "doomed"), r => r.Exit == 0 && r.Output.Contains("Running"));

        var kill = await Pbm(_endpoint, "copriv", "kill", "doomed", "operator", "said", "so");
        Assert.Equal(0, kill.Exit);
        Assert.Contains("session doomed is being failed", kill.Output);

        var error = await Assert.ThrowsAsync<SessionFailedException>(() => session.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("killed at the", error.Failure.Reason);
        Assert.Contains("operator said so", error.Failure.Reason);
        Assert.Equal("layer-00-hold", error.Failure.Step);

        var server = await Eventually.Get(() => Pbm(_endpoint, "copriv", "session", "doomed"), r => r.Exit == 0 && !r.Output.Contains("Running"));
        Assert.Contains("session doomed at the server: Failed", server.Output);
        Assert.Contains("session doomed at the client: Failed", server.Output);
        Assert.Matches(@"1\s+layer-00-hold\s+Failed", server.Output);
    }

    [Fact]
    public async Task Pbm_prints_the_palette_with_exit_code_2_for_unknown_commands_and_exit_code_1_for_failed_ones()
    {
        var unknown = await Pbm(_endpoint, "copriv", "frobnicate");
        Assert.Equal(PbmApp.Usage, unknown.Exit);
        Assert.StartsWith("pbm: unknown command 'copriv frobnicate'\ncommands:", unknown.Error);
        Assert.Contains("copriv watch <id>", unknown.Error);

        var notClustered = await Pbm(_endpoint, "cluster", "show");
        Assert.Equal(PbmApp.CommandFailed, notClustered.Exit);
        Assert.Contains("not a cluster member", notClustered.Error);

        var missing = await Pbm(_endpoint, "copriv", "session", "nope");
        Assert.Equal(PbmApp.CommandFailed, missing.Exit);
        Assert.Contains("no session 'nope'", missing.Error);

        var usage = await Pbm(_endpoint, "copriv", "session");
        Assert.Equal(PbmApp.Usage, usage.Exit);
        Assert.Contains("usage: copriv session <id>", usage.Error);

        var help = await Pbm(_endpoint, "help");
        Assert.Equal(0, help.Exit);
        foreach (var command in new[] { "actor hierarchy", "cluster show", "cluster tail", "remote show", "log peek", "log tail", "log level",
                     "copriv sessions", "copriv session <id>", "copriv watch <id>", "copriv party", "copriv kill <id>", "copriv network" })
            Assert.Contains(command, help.Output);

        var one = await Pbm(_endpoint, "help", "copriv", "kill");
        Assert.Contains("needs the token", one.Output);
    }

    [Fact]
    public async Task Pbm_fails_clearly_when_the_host_is_unreachable_or_the_call_is_malformed()
    {
        var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        int port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();

        var unreachable = await Pbm($"127.0.0.1:{port}", "help");
        Assert.Equal(PbmApp.Unreachable, unreachable.Exit);
        Assert.Contains($"cannot reach an inspector at 127.0.0.1:{port}", unreachable.Error);

        Assert.Equal(PbmApp.Usage, (await Pbm(_endpoint, "help", "--token")).Exit);
        var badEndpoint = await Pbm("127.0.0.1:notaport", "help");
        Assert.Equal(PbmApp.Usage, badEndpoint.Exit);
        Assert.Contains("is not HOST:PORT", badEndpoint.Error);
    }

    [Fact]
    public async Task Pbm_watch_redraws_a_session_until_it_ends_and_then_exits_by_itself()
    {
        var session = StartHeldSession("watched");
        await Eventually.Get(() => Pbm(_endpoint, "copriv", "session", "watched"), r => r.Exit == 0 && r.Output.Contains("50 %"));

        var watch = Pbm(_endpoint, "copriv", "watch", "watched");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(watch.IsCompleted, "watch must follow the session while it runs");
        _held.Release();
        await session;

        var watched = await watch.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, watched.Exit);
        Assert.Contains("[##########..........]  50%", watched.Output);
        Assert.Contains("session watched at the client: Completed", watched.Output);
        Assert.Contains("[####################] 100%", watched.Output);
    }

    [Fact]
    public async Task Pbm_json_answers_every_command_with_json()
    {
        var sessions = await Pbm(_endpoint, "--json", "copriv", "sessions");
        Assert.Equal(0, sessions.Exit);
        using (var document = System.Text.Json.JsonDocument.Parse(sessions.Output))
            Assert.Equal("server", document.RootElement[0].GetProperty("role").GetString());

        var hierarchy = await Pbm(_endpoint, "actor", "hierarchy", "--json");
        using (var document = System.Text.Json.JsonDocument.Parse(hierarchy.Output))
            Assert.Contains("/user/inspector", document.RootElement.EnumerateArray().Select(e => e.GetString()));

        var failed = await Pbm(_endpoint, "--json", "copriv", "session", "nope");
        Assert.Equal(PbmApp.CommandFailed, failed.Exit);
    }

    [Fact]
    public async Task A_client_of_another_protocol_gets_one_line_naming_the_protocol()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _host.InspectorEndpoint!.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("copriv sessions\n"u8.ToArray());
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ERROR\nthis CoPriv inspector speaks pbm protocol 2; use the pbm of the same CoPriv release\n", answer);
    }

    [Fact]
    public async Task The_host_closes_a_connection_whose_request_frame_claims_more_than_the_limit()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _host.InspectorEndpoint!.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { (byte)'C', (byte)'P', (byte)'I', (byte)'2', (byte)'Q', 0x7f, 0xff, 0xff, 0xff });
        var read = await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, read);
    }
}
