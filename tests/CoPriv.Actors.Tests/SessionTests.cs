using Akka.Actor;
using Akka.TestKit;
using CoPriv.Actors.Channel;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using Xunit.Abstractions;

namespace CoPriv.Actors.Tests;

/// <summary>Both parties in one ActorSystem, as in simulation.</summary>
public sealed class SessionTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const int Window = 256 * 1024;
    private readonly IActorRef _server, _client;
    private readonly TestProbe _events;

    public SessionTests(ITestOutputHelper output) : base(ActorsConfig.Local(), "sessions", output)
    {
        var settings = SessionSettings.Default with { Channel = new ActorChannelSettings(chunkSize: 64 * 1024, window: Window) };
        _server = Sys.ActorOf(ServerParty.Props(Scenarios.Planner, settings), ServerParty.Name);
        _client = Sys.ActorOf(ClientParty.Props(settings), ClientParty.Name);
        _events = CreateTestProbe();
        Sys.EventStream.Subscribe(_events.Ref, typeof(SessionCompleted));
        Sys.EventStream.Subscribe(_events.Ref, typeof(SessionFailed));
    }

    private Task<SessionCompleted> Run(string id, ulong clientSeed, int length, ulong serverSeed, string scenario = "") =>
        _client.RunSessionAsync(_server, Scenarios.ClientPlan(clientSeed, length, scenario), Timeout,
            Scenarios.Parameters(length, serverSeed, scenario), id);

    /// <summary>The outcome the given party published for the session.</summary>
    private T Published<T>(string id, PartyRole role) where T : class
    {
        var found = _events.FishForMessage(m => m switch
        {
            SessionCompleted c => c.SessionId == id && c.Role == role,
            SessionFailed f => f.SessionId == id && f.Role == role,
            _ => false,
        }, TimeSpan.FromSeconds(10));
        return Assert.IsType<T>(found);
    }

    [Fact]
    public async Task A_session_runs_every_step_at_both_parties_and_both_learn_the_sum()
    {
        var meter = new TrafficMeter();
        var client = await _client.RunSessionAsync(_server, SumPlans.Plan(SumPlans.Input(2, 1000), [], meter), Timeout,
            Scenarios.Parameters(1000, 1), "life");

        var expected = SumPlans.ExpectedSum(1, 2, 1000);
        Assert.Equal(expected, client.Result);
        Assert.Equal(SessionState.Completed, client.Status.State);
        Assert.Equal(["layer-00-exchange", "layer-01-crossed", "layer-02-check"], client.Status.Layers.Select(l => l.Name));
        Assert.All(client.Status.Layers, l => Assert.Equal((LayerState.Succeeded, 1.0), (l.State, l.Progress)));
        Assert.Equal((8000L, 8000L), (client.Status.Layers[0].BytesSent, client.Status.Layers[0].BytesReceived));
        Assert.Equal((32L, 1L), (client.Status.Layers[2].BytesSent, client.Status.Layers[2].BytesReceived));

        Assert.Equal((client.Status.BytesSent, client.Status.BytesReceived), (meter.Total().BytesSent, meter.Total().BytesReceived));
        Assert.Equal(8000L, meter.Snapshot().Single(r => r.Layer == "layer-00-exchange").BytesSent);

        var server = Published<SessionCompleted>("life", PartyRole.Server);
        Assert.Equal(expected, server.Result);
        Assert.Equal(client.Status.BytesSent, server.Status.BytesReceived);
        Assert.Equal(client.Status.BytesReceived, server.Status.BytesSent);
        Assert.Equal("layer-02-check", Assert.Single(server.Traffic, t => t.BytesReceived == 32).Layer);

        // The sessions are gone; the parties stay and count them.
        await AwaitAssertAsync(async () =>
        {
            var identity = await Sys.ActorSelection("/user/server/session-life").Ask<ActorIdentity>(new Identify(1));
            Assert.Null(identity.Subject);
        });
        var status = await _server.Ask<PartyStatus>(GetPartyStatus.Instance);
        Assert.Equal((1L, 1L, 0L), (status.Started, status.Completed, status.Failed));
        Assert.Equal("life", Assert.Single(status.Recent).SessionId);
    }

    [Theory]
    [InlineData("boom-server", PartyRole.Server)]
    [InlineData("boom-client", PartyRole.Client)]
    public async Task A_failing_step_fails_the_session_at_both_parties_naming_the_step_and_the_parties_stay_up(string scenario, PartyRole failing)
    {
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => Run("faulty", 3, 100, 4, scenario));
        var client = error.Failure;
        var server = Published<SessionFailed>("faulty", PartyRole.Server);

        foreach (var failure in new[] { client, server })
        {
            Assert.Equal(failing, failure.FailedAt);
            Assert.Equal("layer-03-boom", failure.Step);
            Assert.Contains($"step 4/4 'layer-03-boom' failed at the {failing.ToString().ToLowerInvariant()}", failure.Reason);
            Assert.Contains("InvalidOperationException: injected fault", failure.Reason);
            Assert.Equal(SessionState.Failed, failure.Status.State);
        }
        var failedAtFailing = failing == PartyRole.Server ? server : client;
        Assert.Equal(LayerState.Failed, failedAtFailing.Status.Layers[3].State);

        var next = await Run("after-fault", 5, 10, 6);
        Assert.Equal(SumPlans.ExpectedSum(6, 5, 10), next.Result);
    }

    [Fact]
    public async Task Concurrent_sessions_do_not_interfere()
    {
        var runs = Enumerable.Range(0, 4)
            .Select(i => (Id: $"c{i}", ClientSeed: (ulong)(10 + i), ServerSeed: (ulong)(20 + i), Length: 40_000 + 1000 * i))
            .ToArray();
        var outcomes = await Task.WhenAll(runs.Select(r => Run(r.Id, r.ClientSeed, r.Length, r.ServerSeed)));

        for (int i = 0; i < runs.Length; i++)
        {
            Assert.Equal(runs[i].Id, outcomes[i].SessionId);
            Assert.Equal(SumPlans.ExpectedSum(runs[i].ServerSeed, runs[i].ClientSeed, runs[i].Length), outcomes[i].Result);
            Assert.Equal(8L * runs[i].Length, outcomes[i].Status.Layers[0].BytesSent);
        }
    }

    [Fact]
    public async Task A_multi_MiB_message_crosses_intact_within_the_window_and_the_meters_count_it_exactly()
    {
        var client = await Run("bulk", 7, 16, 8, "bulk");
        var server = Published<SessionCompleted>("bulk", PartyRole.Server);

        const long bulk = Scenarios.BulkBytes + 32;
        var clientLayer = client.Status.Layers[3];
        var serverLayer = server.Status.Layers[3];
        Assert.Equal(("layer-03-bulk", bulk, 0L), (clientLayer.Name, clientLayer.BytesSent, clientLayer.BytesReceived));
        Assert.Equal(("layer-03-bulk", 0L, bulk), (serverLayer.Name, serverLayer.BytesSent, serverLayer.BytesReceived));
        Assert.Equal(bulk, client.Traffic.Where(t => t.Layer == "layer-03-bulk").Sum(t => t.BytesSent));
        Assert.Equal(bulk, server.Traffic.Where(t => t.Layer == "layer-03-bulk").Sum(t => t.BytesReceived));
        Assert.Equal(2, client.Traffic.Where(t => t.Layer == "layer-03-bulk").Sum(t => t.MessagesSent));

        Assert.InRange(client.Status.PeakInFlightBytes, 64 * 1024, Window);
        Assert.InRange(server.Status.PeakInFlightBytes, 1, Window);
    }

    [Fact]
    public async Task A_client_whose_steps_differ_from_the_servers_plan_is_rejected_with_the_difference()
    {
        var plan = SumPlans.ClientPlan(1, 10, new LayerStep("extra", _ => { }));
        var error = await Assert.ThrowsAsync<SessionFailedException>(() =>
            _client.RunSessionAsync(_server, plan, Timeout, Scenarios.Parameters(10, 1), "mismatch"));
        Assert.Contains("the server rejected the session: the plans differ at step 4: the client runs 'extra', the server '(none)'", error.Message);
        Assert.Null(error.Failure.Step);
    }

    [Fact]
    public async Task A_session_with_a_vanished_server_party_fails_quickly()
    {
        var gone = CreateTestProbe();
        Sys.Stop(gone.Ref);
        await AwaitConditionAsync(async () => (await Sys.ActorSelection(gone.Ref.Path).Ask<ActorIdentity>(new Identify(1))).Subject is null);
        var error = await Assert.ThrowsAsync<SessionFailedException>(() =>
            _client.RunSessionAsync(gone.Ref, Scenarios.ClientPlan(1, 10), Timeout, Scenarios.Parameters(10, 1)));
        Assert.Contains("is unreachable or stopped", error.Message);
    }

    [Fact]
    public async Task A_client_waits_for_acceptance_no_longer_than_the_accept_timeout_and_reveals_only_steps_and_parameters()
    {
        var silentServer = CreateTestProbe();
        var impatient = Sys.ActorOf(ClientParty.Props(SessionSettings.Default with { AcceptTimeout = TimeSpan.FromMilliseconds(300) }), "impatient");

        var run = impatient.RunSessionAsync(silentServer.Ref, Scenarios.ClientPlan(1, 10), Timeout, Scenarios.Parameters(10, 1), "ignored");
        var open = silentServer.ExpectMsg<OpenSession>();
        Assert.Equal("ignored", open.SessionId);
        Assert.Equal(["exchange", "crossed", "check"], open.StepNames);
        Assert.Equal(Scenarios.Parameters(10, 1), open.Parameters);

        var error = await Assert.ThrowsAsync<SessionFailedException>(() => run);
        Assert.Contains("did not accept within 0.3 s", error.Message);
    }

    [Fact]
    public async Task A_crashed_session_actor_fails_both_sides_and_its_party_keeps_serving()
    {
        var gate = new SemaphoreSlim(0);
        var holding = new SessionPlanner(_ => HoldPlan(gate));
        var server = Sys.ActorOf(ServerParty.Props(holding), "server-crash");

        var run = _client.RunSessionAsync(server, HoldPlan(gate), Timeout, sessionId: "crash");
        await AwaitAssertAsync(async () =>
        {
            var identity = await Sys.ActorSelection("/user/server-crash/session-crash/layer-00-hold").Ask<ActorIdentity>(new Identify(1));
            Assert.NotNull(identity.Subject);
        });
        Sys.ActorSelection("/user/server-crash/session-crash").Tell(Kill.Instance);

        var client = (await Assert.ThrowsAsync<SessionFailedException>(() => run)).Failure;
        Assert.Equal((PartyRole.Server, "layer-00-hold"), (client.FailedAt, client.Step));
        Assert.Contains("the server session stopped", client.Reason);
        var serverSide = Published<SessionFailed>("crash", PartyRole.Server);
        Assert.Contains("the server session actor stopped unexpectedly", serverSide.Reason);

        gate.Release(2);
        var again = await _client.RunSessionAsync(server, HoldPlan(gate), Timeout, sessionId: "after-crash");
        Assert.Equal(SessionState.Completed, again.Status.State);
    }

    /// <summary>One step: the client waits for the gate (or cancellation) and then sends one byte to the server.</summary>
    private static SessionPlan HoldPlan(SemaphoreSlim gate) => new([new LayerStep("hold", context =>
    {
        var stream = context.Channel.Stream("hold");
        if (context.Role == PartyRole.Client)
        {
            gate.Wait(context.Cancellation);
            stream.Send([1]);
        }
        else stream.Receive(new byte[1]);
    })]);

    [Fact]
    public async Task Steps_that_block_thread_pool_threads_do_not_stall_the_channel()
    {
        var plan = () => FanOut.Plan(streams: 24, bytes: 600 * 1024);
        var server = Sys.ActorOf(ServerParty.Props(_ => plan()), "server-fanout");

        // A stalled channel would end in the session timeout instead of delivering every byte.
        var completed = await _client.RunSessionAsync(server, plan(), Timeout, sessionId: "fanout");
        Assert.Equal(24L * 600 * 1024, completed.Status.BytesReceived);
    }
}
