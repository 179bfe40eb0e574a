using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Inputs;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Network.Links;
using CoPriv.Protocols.Core;
using CoPriv.Sim.Links;
using Xunit.Abstractions;

namespace CoPriv.Sim.Tests;

/// <summary>
/// The real engine under the actor runtime: one layer actor per engine layer, over the actor channel (as across
/// machines) and over a simulated link (as the simulator runs it).
/// </summary>
public sealed class ActorEngineTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly SecureInferencePolicy _policy = SecureInferencePolicy.CoPriv();
    private readonly LoweredProgram _program;
    private readonly SecureInferencePlan _plan;
    private readonly ConcurrentDictionary<string, ServerInference> _servers = new();
    private readonly ConcurrentDictionary<string, Func<ServerInference, SessionPlan>> _serverPlans = new();
    private readonly IActorRef _server, _client;
    private readonly TestProbe _events;

    public ActorEngineTests(ITestOutputHelper output) : base(ActorsConfig.Local(), "engine", output)
    {
        _program = FixedPointLowering.Lower(TinyModels.ConvReluFc(), _policy.FixedPoint);
        _plan = SecureInferencePlan.Create(_program, _policy);
        _server = Sys.ActorOf(ServerParty.Props(PlanServer, SessionSettings.Default), ServerParty.Name);
        _client = Sys.ActorOf(ClientParty.Props(SessionSettings.Default), ClientParty.Name);
        _events = CreateTestProbe();
        Sys.EventStream.Subscribe(_events.Ref, typeof(SessionFailed));
    }

    /// <summary>The server's side of each session, as the test arranged it (the default: the plan over the actor channel).</summary>
    private SessionPlan PlanServer(SessionRequest request)
    {
        var server = _servers[request.SessionId] = new ServerInference(_plan, _program);
        return _serverPlans.TryRemove(request.SessionId, out var make) ? make(server) : InferenceSessionPlan.Create(server);
    }

    private Task<SessionCompleted> Run(string id, Tensor image, InferenceStepHooks? hooks = null) =>
        _client.RunSessionAsync(_server, InferenceSessionPlan.Create(new ClientInference(_plan, image), hooks), Timeout, sessionId: id);

    private ulong[] ReconstructedLogits(string id, ClientInference client)
    {
        var s = _servers[id].ShareOf(_program.LogitsName);
        var c = client.ShareOf(_program.LogitsName);
        return s.Select((v, i) => _program.Ring.Add(v, c[i])).ToArray();
    }

    [Fact]
    public async Task A_session_runs_setup_and_every_engine_layer_as_its_own_layer_actor_and_the_client_learns_the_reference_class()
    {
        var image = InputImages.Random(_program.InputShape, 3).Image;
        var client = new ClientInference(_plan, image);
        var done = await _client.RunSessionAsync(_server, InferenceSessionPlan.Create(client), Timeout, sessionId: "life");

        var reference = FixedPointReferenceExecutor.Run(_program, image);
        Assert.Equal(reference.Prediction, done.Result);
        Assert.Equal(reference.Logits.Data, ReconstructedLogits("life", client));
        Assert.Equal(SessionState.Completed, done.Status.State);
        Assert.Equal(InferenceSessionPlan.StepNames(_plan).Select((n, i) => LayerNames.ForStep(i + 1, n)), done.Status.Layers.Select(l => l.Name));
        Assert.All(done.Status.Layers, l => Assert.Equal(LayerState.Succeeded, l.State));
        var report = InferenceReportBuilder.SecureRun(_plan, _servers["life"].Meter, client.Meter);
        // One name per layer everywhere: the engine's plan, the layer actors and the report rows.
        Assert.Equal(["layer-00-setup", .. _plan.Layers.Select(l => l.Name)], done.Status.Layers.Select(l => l.Name));
        Assert.Equal(_plan.Layers.Select(l => l.Name), report.Layers.Select(l => l.Name));
        Assert.True(report.PredictionExact, string.Join("; ", report.Warnings));
    }

    [Fact]
    public async Task A_fault_in_one_layer_actor_fails_both_parties_within_seconds_naming_the_layer()
    {
        int relu = InferenceSessionPlan.StepNames(_plan).ToList().IndexOf("relu") + 1;
        string layer = LayerNames.ForStep(relu, "relu");
        _serverPlans["faulty"] = server => new SessionPlan(InferenceSessionPlan.Create(server).Steps
            .Select((step, i) => i + 1 == relu ? new LayerStep(step.Name, _ => throw new InvalidOperationException("injected fault")) : step));
        var client = (await Assert.ThrowsAsync<SessionFailedException>(() => Run("faulty", InputImages.Random(_program.InputShape, 4).Image))).Failure;
        var server = (SessionFailed)_events.FishForMessage(m => m is SessionFailed f && f.SessionId == "faulty" && f.Role == PartyRole.Server,
            TimeSpan.FromSeconds(30));

        foreach (var failure in new[] { client, server })
        {
            Assert.Equal((PartyRole.Server, layer), (failure.FailedAt, failure.Step));
            Assert.Contains("injected fault", failure.Reason);
        }
    }

    [Fact]
    public async Task A_fault_over_a_simulated_link_fails_the_peer_blocked_on_that_link_too()
    {
        int relu = InferenceSessionPlan.StepNames(_plan).ToList().IndexOf("relu") + 1;
        var link = LinkSession.Create(Network.NetworkMode.Simulate, LinkPresets.Wan);
        InferenceStepHooks Hooks(PartyRole role) => new()
        {
            Channel = _ => link.ChannelOf(role),
            AroundStep = context => role == PartyRole.Client && context.Position == relu
                ? throw new InvalidOperationException("injected fault at the client")
                : link.AroundStep(role),
        };
        _serverPlans["linked"] = server => InferenceSessionPlan.Create(server, Hooks(PartyRole.Server));
        var client = (await Assert.ThrowsAsync<SessionFailedException>(() =>
            Run("linked", InputImages.Random(_program.InputShape, 5).Image, Hooks(PartyRole.Client)))).Failure;
        var server = (SessionFailed)_events.FishForMessage(m => m is SessionFailed f && f.SessionId == "linked" && f.Role == PartyRole.Server,
            TimeSpan.FromSeconds(30));

        Assert.All(new[] { client, server }, f => Assert.Equal((PartyRole.Client, LayerNames.ForStep(relu, "relu")), (f.FailedAt, f.Step)));
    }

    [Fact]
    public async Task Concurrent_sessions_on_the_same_parties_each_compute_their_own_client_s_logits()
    {
        var images = Enumerable.Range(0, 3).Select(i => InputImages.Random(_program.InputShape, 10 + (ulong)i).Image).ToArray();
        var clients = images.Select(image => new ClientInference(_plan, image)).ToArray();

        var sessions = clients.Select((client, i) =>
            _client.RunSessionAsync(_server, InferenceSessionPlan.Create(client), Timeout, sessionId: $"concurrent-{i}")).ToArray();
        var done = await Task.WhenAll(sessions);

        for (int i = 0; i < clients.Length; i++)
        {
            var reference = FixedPointReferenceExecutor.Run(_program, images[i]);
            Assert.Equal(reference.Logits.Data, ReconstructedLogits($"concurrent-{i}", clients[i]));
            Assert.Equal(reference.Prediction, done[i].Result);
            Assert.True(InferenceReportBuilder.SecureRun(_plan, _servers[$"concurrent-{i}"].Meter, clients[i].Meter).PredictionExact);
        }
    }
}
