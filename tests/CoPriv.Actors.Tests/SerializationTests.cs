using Akka.Actor;
using CoPriv.Actors.Channel;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Serialization;
using CoPriv.Actors.Sessions;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using Xunit.Abstractions;

namespace CoPriv.Actors.Tests;

public sealed class SerializationTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ActorsConfig.Local(), "serialization", output)
{
    private object RoundTrip(object message, Type expectedSerializer)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType(expectedSerializer, serializer);
        var bytes = serializer.ToBinary(message);
        return Sys.Serialization.Deserialize(bytes, serializer.Identifier, message.GetType());
    }

    [Fact]
    public void Chunks_are_bound_to_the_payload_serializer_and_carry_their_bytes_raw()
    {
        var payload = new byte[65536];
        new Random(7).NextBytes(payload);
        var chunk = new PayloadChunk("ot-sender", 41, 200_000, 65536, payload);

        var bytes = Sys.Serialization.FindSerializerFor(chunk).ToBinary(chunk);
        Assert.Equal(PayloadSerializer.HeaderLength("ot-sender".Length) + payload.Length, bytes.Length);
        Assert.True(bytes.AsSpan(bytes.Length - payload.Length).SequenceEqual(payload));

        var back = Assert.IsType<PayloadChunk>(RoundTrip(chunk, typeof(PayloadSerializer)));
        Assert.Equal(("ot-sender", 41L, 200_000, 65536), (back.Stream, back.Sequence, back.MessageLength, back.Offset));
        Assert.True(back.Data.Span.SequenceEqual(payload));
    }

    [Fact]
    public void Credits_and_empty_chunks_round_trip_through_the_payload_serializer()
    {
        Assert.Equal(new PayloadCredit("données", 65536), RoundTrip(new PayloadCredit("données", 65536), typeof(PayloadSerializer)));
        var empty = Assert.IsType<PayloadChunk>(RoundTrip(new PayloadChunk("s", 0, 0, 0, ReadOnlySpan<byte>.Empty), typeof(PayloadSerializer)));
        Assert.True(empty.IsLast);
        Assert.Equal(0, empty.Data.Length);
    }

    [Fact]
    public void Malformed_payload_bytes_are_rejected_with_a_serialization_error()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new PayloadCredit("s", 1));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([9, 1, 0, (byte)'s'], typeof(PayloadCredit)));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([1, 200, 0], typeof(PayloadChunk)));
    }

    [Fact]
    public void Session_messages_round_trip_through_the_hyperion_adapter()
    {
        var parameters = new Dictionary<string, string> { ["model"] = "resnet32", ["ring-bits"] = "41" };
        var open = new OpenSession("abc123", ["setup", "conv3x3", "relu"], parameters);
        var back = Assert.IsType<OpenSession>(RoundTrip(open, typeof(HyperionMessageSerializer)));
        Assert.Equal(open.SessionId, back.SessionId);
        Assert.Equal(open.StepNames, back.StepNames);
        Assert.Equal(parameters, back.Parameters);

        Assert.Equal(new SessionAborted("abc123", PartyRole.Server, "layer-02-relu", "boom"),
            RoundTrip(new SessionAborted("abc123", PartyRole.Server, "layer-02-relu", "boom"), typeof(HyperionMessageSerializer)));
        var finished = Assert.IsType<SessionFinished>(RoundTrip(
            new SessionFinished("x", [new TrafficRecord("layer-01-conv3x3", "conv", Phase.Preprocessing, 10, 20, 1, 1)]), typeof(HyperionMessageSerializer)));
        Assert.Equal(("x", new TrafficRecord("layer-01-conv3x3", "conv", Phase.Preprocessing, 10, 20, 1, 1)), (finished.SessionId, finished.Traffic.Single()));
        Assert.Equal(new SessionRejected("x", "no"), RoundTrip(new SessionRejected("x", "no"), typeof(HyperionMessageSerializer)));
    }

    [Fact]
    public void Session_outcomes_keep_layers_traffic_and_result_through_hyperion()
    {
        var status = new SessionStatus("s1", PartyRole.Client, SessionState.Completed, "akka://x/user/server/session-s1",
            [new LayerStatus(1, "layer-01-conv3x3", LayerState.Succeeded, 1, 1024, 2048, TimeSpan.FromMilliseconds(12))],
            1024, 2048, 512, TimeSpan.FromSeconds(1), null, null);
        var traffic = new List<TrafficRecord> { new("layer-01-conv3x3", "-", Phase.Online, 1024, 2048, 3, 2) };
        var completed = new SessionCompleted("s1", PartyRole.Client, new ulong[] { 1, 2, 3 }, status, traffic, traffic);

        var back = Assert.IsType<SessionCompleted>(RoundTrip(completed, typeof(HyperionMessageSerializer)));
        Assert.Equal(new ulong[] { 1, 2, 3 }, back.Result);
        Assert.Equal(status.Layers, back.Status.Layers);
        Assert.Equal(status with { Layers = back.Status.Layers }, back.Status);
        Assert.Equal(traffic, back.Traffic);
    }

    private sealed record Addressed(IActorRef ReplyTo, string Text) : ICoPrivMessage;

    [Fact]
    public void Actor_references_inside_messages_resolve_to_the_same_actor()
    {
        var probe = CreateTestProbe();
        var back = Assert.IsType<Addressed>(RoundTrip(new Addressed(probe.Ref, "hi"), typeof(HyperionMessageSerializer)));
        Assert.Equal(probe.Ref, back.ReplyTo);
        back.ReplyTo.Tell("ping");
        probe.ExpectMsg("ping");
    }

    [Fact]
    public void The_hyperion_adapter_refuses_to_build_a_type_that_is_not_ours()
    {
        // A peer's own Hyperion, without our filter, writes a type we never send.
        var peer = new Hyperion.Serializer(Hyperion.SerializerOptions.Default.WithVersionTolerance(true).WithPreserveObjectReferences(true));
        using var stream = new MemoryStream();
        peer.Serialize(new List<Version> { new(1, 2) }, stream);
        var serializer = new HyperionMessageSerializer((ExtendedActorSystem)Sys);
        Assert.ThrowsAny<Exception>(() => { serializer.FromBinary(stream.ToArray(), typeof(object)); });
        Assert.ThrowsAny<Exception>(() => { serializer.ToBinary(new List<Version> { new(1, 2) }); });
    }

    [Theory]
    [InlineData("CoPriv.Actors.Sessions.OpenSession, CoPriv.Actors", true)]
    [InlineData("System.Collections.Generic.List`1[[CoPriv.Actors.Sessions.LayerStatus, CoPriv.Actors, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null]], System.Private.CoreLib", true)]
    [InlineData("System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.String, System.Private.CoreLib]], System.Private.CoreLib", true)]
    [InlineData("System.TimeSpan, System.Private.CoreLib,%core%", true)]
    [InlineData("<>z__ReadOnlySingleElementList`1[[CoPriv.Actors.Sessions.LayerStatus, CoPriv.Actors]], CoPriv.Actors.Tests", true)]
    [InlineData("<>z__ReadOnlySingleElementList`1[[System.IO.FileInfo, System.Private.CoreLib]], Evil", false)]
    [InlineData("CoPriv.Actors.Sessions.LayerStatus[], CoPriv.Actors", true)]
    [InlineData("System.Version[], System.Private.CoreLib", false)]
    [InlineData("System.Collections.Generic.List`1[[CoPriv.X, CoPriv.Actors]", false)]
    [InlineData("System.IO.FileInfo, System.Private.CoreLib", false)]
    [InlineData("System.IO.FileInfo, System.Private.CoreLib,%core%", false)]
    [InlineData("System.Collections.Generic.List`1[[System.Diagnostics.Process, System.Diagnostics.Process]], System.Private.CoreLib", false)]
    [InlineData("", false)]
    public void The_type_filter_allows_our_types_and_their_framework_parts_only(string typeName, bool allowed) =>
        Assert.Equal(allowed, CoPrivTypeFilter.Instance.IsAllowed(typeName));
}
