using Akka.Configuration;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Sessions;
using Xunit.Abstractions;

namespace CoPriv.Actors.Tests;

/// <summary>
/// One system with <c>serialize-messages = on</c>: every message between actors goes through its bound serializer
/// and back, as it would across the network, so a message our serializers cannot carry fails the session here.
/// </summary>
public sealed class SerializedSessionTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(
    ActorsConfig.Local(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")), "serialized", output)
{
    [Fact]
    public async Task A_session_completes_when_every_message_is_serialized_and_deserialized()
    {
        var server = Sys.ActorOf(ServerParty.Props(Scenarios.Planner), ServerParty.Name);
        var client = Sys.ActorOf(ClientParty.Props(), ClientParty.Name);

        var completed = await client.RunSessionAsync(server, Scenarios.ClientPlan(31, 20_000), TimeSpan.FromSeconds(20),
            Scenarios.Parameters(20_000, 32), "serialized");

        Assert.Equal(SumPlans.ExpectedSum(32, 31, 20_000), completed.Result);
        Assert.Equal(160_000, completed.Status.Layers[0].BytesReceived);
    }
}
