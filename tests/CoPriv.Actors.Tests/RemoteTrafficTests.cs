using System.Text.Json;
using System.Text.RegularExpressions;
using Akka.Actor;
using CoPriv.Actors.Hosting;
using CoPriv.Actors.Inspection;
using CoPriv.Actors.Remoting;
using CoPriv.Actors.Sessions;
using CoPriv.Inference.Sessions;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Tests;

/// <summary>
/// A server node and a client node of one cluster in this process, on Akka.Remote over TLS (akka.ssl.tcp) as `copriv
/// serve` and `copriv infer` run them: the transport adapter counts what crosses each association, and `remote show`
/// prints it.
/// </summary>
public sealed class RemoteTrafficTests : IAsyncLifetime
{
    private const int Exchanges = 25;
    // A node whose remoting fails to start (a transport adapter that cannot be made) never finishes starting.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly DataPlaneCertificate _serverCertificate = DataPlaneCertificate.CreateEphemeral();
    private readonly DataPlaneCertificate _clientCertificate = DataPlaneCertificate.CreateEphemeral();
    private CoPrivNode _server = null!, _client = null!;
    private string _inspector = "";

    public async Task InitializeAsync()
    {
        _server = await CoPrivNode.StartAsync(new CoPrivNodeOptions
        {
            Role = PartyRole.Server, ServerPlanner = _ => new SessionPlan([]), Certificate = _serverCertificate.Certificate,
            LogLevel = Akka.Event.LogLevel.WarningLevel, Inspector = new InspectorOptions("127.0.0.1", 0, null),
        }).WaitAsync(StartTimeout);
        _inspector = $"127.0.0.1:{_server.InspectorEndpoint!.Port}";
        _client = await CoPrivNode.StartAsync(new CoPrivNodeOptions
        {
            Role = PartyRole.Client, SeedNodes = [_server.Address.ToString()], Certificate = _clientCertificate.Certificate,
            LogLevel = Akka.Event.LogLevel.WarningLevel,
        }).WaitAsync(StartTimeout);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        _serverCertificate.Dispose();
        _clientCertificate.Dispose();
    }

    /// <summary>The client asks the server's party for its status <see cref="Exchanges"/> times over Akka.Remote.</summary>
    private async Task ExchangeAsync()
    {
        var party = _client.System.ActorSelection($"{_server.Address}/user/{ServerParty.Name}");
        for (int i = 0; i < Exchanges; i++)
            await party.Ask<PartyStatus>(GetPartyStatus.Instance, TimeSpan.FromSeconds(10));
    }

    private static PeerTraffic? Toward(CoPrivNode node, CoPrivNode peer) =>
        RemoteTraffic.For(node.System).Snapshot().SingleOrDefault(p => p.Peer == peer.Address.ToString());

    [Fact]
    public void Both_nodes_down_with_the_server_downing_provider_not_a_split_brain_resolver()
    {
        foreach (var node in new[] { _server, _client })
            Assert.IsType<ServerDowningProvider>(Akka.Cluster.Cluster.Get(node.System).DowningProvider);
    }

    [Fact]
    public async Task The_transport_counts_each_exchanged_message_and_its_bytes_both_ways_the_same_at_both_ends()
    {
        Assert.StartsWith("akka.ssl.tcp://", _server.Address.ToString());
        Assert.True(RemoteTraffic.For(_server.System).Metered);
        await ExchangeAsync();
        var before = Toward(_server, _client)!;
        Assert.True(before.Handshaken);
        Assert.True(before.OpenConnections >= 1);

        await ExchangeAsync();
        var after = Toward(_server, _client)!;
        // Each exchange is one request in and one answer out; the nodes' own gossip and heartbeats may add more.
        Assert.InRange(after.MessagesReceived - before.MessagesReceived, Exchanges, Exchanges + 40);
        Assert.InRange(after.MessagesSent - before.MessagesSent, Exchanges, Exchanges + 40);
        long request = _client.System.Serialization.FindSerializerFor(GetPartyStatus.Instance).ToBinary(GetPartyStatus.Instance).Length;
        Assert.True(after.BytesReceived - before.BytesReceived >= Exchanges * request, $"{before} -> {after}");
        Assert.True(after.BytesSent - before.BytesSent > after.BytesReceived - before.BytesReceived, $"{before} -> {after}: the answers are larger");

        // What one end wrote, the other read: at a quiet moment between heartbeats both ends agree to the byte.
        var agreed = await Eventually.Get(() => Task.FromResult((Server: Toward(_server, _client)!, Client: Toward(_client, _server)!)),
            ends => ends.Server.BytesSent == ends.Client.BytesReceived && ends.Server.BytesReceived == ends.Client.BytesSent
                    && ends.Server.MessagesSent == ends.Client.MessagesReceived && ends.Server.MessagesReceived == ends.Client.MessagesSent,
            TimeSpan.FromSeconds(20));
        Assert.Equal(agreed.Server.BytesSent, agreed.Client.BytesReceived);
        Assert.Equal(agreed.Server.BytesReceived, agreed.Client.BytesSent);
        Assert.Equal(agreed.Server.MessagesSent, agreed.Client.MessagesReceived);
        Assert.Equal(agreed.Server.MessagesReceived, agreed.Client.MessagesSent);
    }

    [Fact]
    public async Task Remote_show_prints_each_associations_bytes_and_messages_both_ways_and_they_grow_after_an_exchange()
    {
        await ExchangeAsync();
        var client = _client.Address.ToString();
        var first = await Eventually.Get(() => PbmInProcess.RunAsync(_inspector, "--json", "remote", "show"),
            r => r.Exit == 0 && r.Output.Contains(client), TimeSpan.FromSeconds(10));
        var (sent, received, messagesSent, messagesReceived) = Counts(first.Output, client);
        Assert.True(sent > 0 && received > 0 && messagesSent >= Exchanges && messagesReceived >= Exchanges, first.Output);

        await ExchangeAsync();
        var second = await PbmInProcess.RunAsync(_inspector, "--json", "remote", "show");
        var grown = Counts(second.Output, client);
        Assert.True(grown.Sent > sent && grown.Received > received, second.Output);
        Assert.True(grown.MessagesSent >= messagesSent + Exchanges && grown.MessagesReceived >= messagesReceived + Exchanges, second.Output);

        var text = await PbmInProcess.RunAsync(_inspector, "remote", "show");
        Assert.Equal(0, text.Exit);
        Assert.Contains("peer  ", text.Output);
        Assert.Matches(@"direction\s+state\s+since\s+sent\s+received\s+messages sent\s+messages received", text.Output);
        Assert.Matches($@"{Regex.Escape(client)}\s+(inbound|outbound)\s+associated\s+\d\d:\d\d:\d\d\s+\d+(\.\d)? (B|KiB|MiB)\s+\d+(\.\d)? (B|KiB|MiB)\s+\d+\s+\d+", text.Output);
    }

    private static (long Sent, long Received, long MessagesSent, long MessagesReceived) Counts(string json, string peer)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.GetProperty("trafficMetered").GetBoolean());
        var association = document.RootElement.GetProperty("associations").EnumerateArray().Single(a => a.GetProperty("peer").GetString() == peer);
        return (association.GetProperty("bytesSent").GetInt64(), association.GetProperty("bytesReceived").GetInt64(),
            association.GetProperty("messagesSent").GetInt64(), association.GetProperty("messagesReceived").GetInt64());
    }
}
