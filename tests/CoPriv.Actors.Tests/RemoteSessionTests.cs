using Akka.Actor;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;

namespace CoPriv.Actors.Tests;

/// <summary>A server ActorSystem and a client ActorSystem linked by Akka.Remote on OS-chosen loopback ports.</summary>
public sealed class RemoteSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private PartyHost _server = null!, _client = null!;

    public Task InitializeAsync()
    {
        _server = PartyHost.Start(new PartyHostOptions
        {
            SystemName = "copriv-server", Remote = true,
            ServerPlanner = request => request.Parameters.ContainsKey("fanout") ? FanOut.Plan(16, 600 * 1024) : Scenarios.Planner(request),
        });
        _client = PartyHost.Start(new PartyHostOptions { SystemName = "copriv-client", Remote = true, Client = true });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_client_system_reaches_the_server_party_by_address_and_runs_a_session_with_a_multi_MiB_message()
    {
        Assert.Equal("akka.tcp", _server.Address.Protocol);
        Assert.Equal("127.0.0.1", _server.Address.Host);
        Assert.NotEqual(0, _server.Address.Port);
        Assert.NotEqual(_server.Address.Port, _client.Address.Port);

        var serverParty = await _client.ResolveAsync(_server.PartyPath(ServerParty.Name), Timeout);
        var completed = await _client.RunSessionAsync(serverParty, Scenarios.ClientPlan(41, 30_000, "bulk"), Timeout,
            Scenarios.Parameters(30_000, 42, "bulk"), "remote");

        Assert.Equal(SumPlans.ExpectedSum(42, 41, 30_000), completed.Result);
        Assert.Equal(Scenarios.BulkBytes + 32L, completed.Status.Layers[3].BytesSent);
        Assert.StartsWith($"{_server.Address}/user/server/session-remote", completed.Status.Peer);

        var serverStatus = await Eventually.Get(() => _server.Server!.Ask<PartyStatus>(GetPartyStatus.Instance, Timeout),
            s => s.Completed == 1);
        Assert.Equal(1, serverStatus.Completed);
        Assert.Equal(completed.Status.BytesSent, serverStatus.BytesReceived);
    }

    [Fact]
    public async Task Steps_that_block_thread_pool_threads_do_not_stall_remoting()
    {
        var serverParty = await _client.ResolveAsync(_server.PartyPath(ServerParty.Name), Timeout);
        // Stalled remoting would end in the session timeout instead of delivering every byte.
        var completed = await _client.RunSessionAsync(serverParty, FanOut.Plan(16, 600 * 1024), Timeout,
            new Dictionary<string, string> { ["fanout"] = "" });
        Assert.Equal(16L * 600 * 1024, completed.Status.BytesReceived);
    }

    [Fact]
    public async Task A_wrong_server_address_fails_with_the_path_named()
    {
        var path = $"{_server.Address}/user/nobody-here";
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _client.ResolveAsync(path, TimeSpan.FromSeconds(3)));
        Assert.Contains(path, error.Message);
    }
}
