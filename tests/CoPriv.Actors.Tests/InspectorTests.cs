using System.Net.Sockets;
using System.Net;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;
using CoPriv.Pbm;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Tests;

/// <summary>The inspector host on an OS-chosen loopback port, driven by the pbm client as a user would.</summary>
public sealed class InspectorTests : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(0);
    private PartyHost _host = null!;
    private string _endpoint = "";

    /// <summary>
    /// One step that holds the session open: the client reports half done and waits for the test (or cancellation),
    /// then sends one byte that the server waits for.
    /// </summary>
    private SessionPlan HoldPlan() => new([new LayerStep("hold", context =>
    {
        var stream = context.Channel.Stream("hold");
        if (context.Role == PartyRole.Client)
        {
            context.ReportProgress(0.5);
            _gate.Wait(context.Cancellation);
            stream.Send([1]);
        }
        else stream.Receive(new byte[1]);
    })]);

    public Task InitializeAsync()
    {
        _host = PartyHost.Start(new PartyHostOptions
        {
            SystemName = "inspected", ServerPlanner = _ => HoldPlan(), Client = true, Inspector = true, InspectorPort = 0,
        });
        _endpoint = $"127.0.0.1:{_host.InspectorEndpoint!.Port}";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<(int Exit, string Output, string Error)> Pbm(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int exit = await PbmApp.RunAsync(args, output, error, TimeSpan.FromSeconds(10));
        return (exit, output.ToString(), error.ToString());
    }

    private Task<SessionCompleted> StartHeldSession(string id) =>
        _host.RunSessionAsync(_host.Server!, HoldPlan(), TimeSpan.FromSeconds(20), sessionId: id);

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

        var tree = await Pbm(_endpoint, "actor", "tree");
        Assert.Equal(0, tree.Exit);
        var lines = tree.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        foreach (var expected in new[] { "  server", "    session-held", "      layer-00-hold", "  client", "  inspector" })
            Assert.Contains(expected, lines);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith('$'));

        _gate.Release();
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
    public async Task Pbm_reports_unknown_commands_and_sessions_with_exit_code_1()
    {
        var unknown = await Pbm(_endpoint, "copriv", "frobnicate");
        Assert.Equal(PbmApp.CommandFailed, unknown.Exit);
        Assert.Contains("unknown command 'copriv frobnicate'", unknown.Error);

        var palette = await Pbm(_endpoint, "cluster", "show");
        Assert.Equal(PbmApp.CommandFailed, palette.Exit);
        Assert.Contains("no palette 'cluster' (palettes: actor, copriv)", palette.Error);

        var missing = await Pbm(_endpoint, "copriv", "session", "nope");
        Assert.Equal(PbmApp.CommandFailed, missing.Exit);
        Assert.Contains("no session 'nope'", missing.Error);

        var usage = await Pbm(_endpoint, "copriv", "session");
        Assert.Equal(PbmApp.CommandFailed, usage.Exit);
        Assert.Contains("usage: copriv session <id>", usage.Error);

        var help = await Pbm(_endpoint, "help");
        Assert.Equal(0, help.Exit);
        foreach (var command in new[] { "actor tree", "copriv sessions", "copriv session <id>", "copriv party", "copriv kill <id>" })
            Assert.Contains(command, help.Output);
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

        Assert.Equal(PbmApp.Usage, (await Pbm(_endpoint)).Exit);
        var badEndpoint = await Pbm("127.0.0.1:notaport", "help");
        Assert.Equal(PbmApp.Usage, badEndpoint.Exit);
        Assert.Contains("is not host:port", badEndpoint.Error);
    }
}
