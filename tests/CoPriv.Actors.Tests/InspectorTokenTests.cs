using Akka.Configuration;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Inspection;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;
using CoPriv.Pbm;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Tests;

/// <summary>The inspector's token: what it guards on loopback and beyond.</summary>
public sealed class InspectorTokenTests : IAsyncLifetime
{
    private const string Token = "s3cret-token";
    private readonly HeldSession _held = new();
    private PartyHost _host = null!;
    private string _endpoint = "";

    public Task InitializeAsync()
    {
        _host = PartyHost.Start(new PartyHostOptions
        {
            SystemName = "guarded", ServerPlanner = _ => _held.Plan(), Client = true, Inspector = new InspectorOptions("127.0.0.1", 0, Token),
        });
        _endpoint = $"127.0.0.1:{_host.InspectorEndpoint!.Port}";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Task<(int Exit, string Output, string Error)> Pbm(params string[] args) => PbmInProcess.RunAsync(args);

    [Fact]
    public async Task Kill_without_the_token_is_refused_and_the_session_goes_on_while_reading_needs_no_token_on_loopback()
    {
        var session = _host.RunSessionAsync(_host.Server!, _held.Plan(), TimeSpan.FromSeconds(20), sessionId: "guarded");
        await Eventually.Get(() => Pbm(_endpoint, "copriv", "session", "guarded"), r => r.Exit == 0 && r.Output.Contains("Running"));

        var refused = await Pbm(_endpoint, "copriv", "kill", "guarded");
        Assert.Equal(PbmApp.CommandFailed, refused.Exit);
        Assert.Contains("refused: 'copriv kill <id> [reason…]' changes the node's state", refused.Error);
        var wrong = await Pbm(_endpoint, "--token", "guess", "log", "level", "debug");
        Assert.Equal(PbmApp.CommandFailed, wrong.Exit);

        var stillRunning = await Pbm(_endpoint, "copriv", "session", "guarded");
        Assert.Contains("session guarded at the server: Running", stillRunning.Output);

        _held.Release();
        var completed = await session.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(SessionState.Completed, completed.Status.State);
    }

    [Fact]
    public async Task Kill_with_the_token_fails_the_session_at_both_parties()
    {
        var session = _host.RunSessionAsync(_host.Server!, _held.Plan(), TimeSpan.FromSeconds(20), sessionId: "doomed");
        await Eventually.Get(() => Pbm(_endpoint, "copriv", "session", "doomed"), r => r.Exit == 0 && r.Output.Contains("Running"));

        var kill = await Pbm(_endpoint, "--token", Token, "copriv", "kill", "doomed", "maintenance");
        Assert.Equal(0, kill.Exit);
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => session.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("maintenance", error.Failure.Reason);
    }

    [Fact]
    public void An_inspector_beyond_loopback_must_have_a_token()
    {
        var error = Assert.Throws<ArgumentException>(() => new InspectorOptions("0.0.0.0", 0, null).Validate());
        Assert.Contains("without a token", error.Message);
        new InspectorOptions("0.0.0.0", 0, Token).Validate();
    }

    [Fact]
    public void Inspect_takes_a_port_alone_as_loopback_and_hocon_enables_the_inspector_with_its_token()
    {
        var loopback = InspectorOptions.Resolve("9120", Config.Empty, null)!;
        Assert.Equal(("127.0.0.1", 9120, (string?)null), (loopback.Hostname, loopback.Port, loopback.Token));
        Assert.Null(InspectorOptions.Resolve(null, Config.Empty, null));

        var configured = InspectorOptions.Resolve(null, ConfigurationFactory.ParseString(
            "copriv.inspector { enabled = on, hostname = \"0.0.0.0\", port = 9111, token = from-hocon }"), null)!;
        Assert.Equal(("0.0.0.0", 9111, "from-hocon"), (configured.Hostname, configured.Port, configured.Token));
        Assert.Equal("from-env", InspectorOptions.Resolve("0", Config.Empty, "from-env")!.Token);
    }
}
