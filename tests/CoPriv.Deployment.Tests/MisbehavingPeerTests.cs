using System.Text.RegularExpressions;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// Acceptance 4 of issue 10, misbehaving peers: a peer that sends what the data plane does not speak, announces more
/// than its limits, says nothing, or stops in the middle of a session fails only its own connection or session, with
/// the reason in the server's log, while the server goes on serving other clients.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed partial class MisbehavingPeerTests(SharedServer shared) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public void GarbageOversizedAndSilentDataPlanePeers_AreRefusedWithTheReason_WhileAClientIsServed()
    {
        var server = shared.Server;
        int mark = server.LineCount;
        using var client = InferProcess.Start(server, []);
        client.WaitForLine(l => l.Contains(" serves "), Bound, "the offer it is served");
        var (host, _) = SplitAddress(server.Address);

        using (var garbage = RawDataPlanePeer.Connect(host, server.DataPlanePort, server.Fingerprint))
        {
            garbage.Send("GET / HTTP/1.1\r\n\r\n"u8);
            Assert.Contains("does not speak the CoPriv data plane", garbage.ReadAnswer());
        }
        using (var oversized = RawDataPlanePeer.Connect(host, server.DataPlanePort, server.Fingerprint))
        {
            oversized.Send(RawDataPlanePeer.HelloHead(sessionIdBytes: 65535, tokenBytes: 32));
            Assert.Contains("announced a session id of 65535 bytes, more than 1024", oversized.ReadAnswer());
        }
        using (RawDataPlanePeer.Connect(host, server.DataPlanePort, server.Fingerprint))
        {
            server.WaitForLine(l => l.Contains("data-plane connection refused") && l.Contains("did not complete within 3 s"), Bound,
                "the silent peer's refusal", mark);
        }

        Assert.True(client.WaitForExit(Bound) == 0, client.Diagnosis);
        Assert.Contains(client.StandardOutput, l => l.StartsWith("predicted class: ", StringComparison.Ordinal));
        var refusals = server.StandardError.Where(l => l.StartsWith("copriv serve: data-plane connection refused", StringComparison.Ordinal)).ToList();
        Assert.Contains(refusals, l => l.Contains("does not speak the CoPriv data plane"));
        Assert.Contains(refusals, l => l.Contains("announced a session id of 65535 bytes"));
        Assert.Contains("completed", server.WaitForSessionLine(Bound, mark));
    }

    [Fact]
    public void ClientThatStopsSending_FailsItsSessionOnTheIdleTimeout_AndTheServerServesTheNext()
    {
        using var server = ServeProcess.Start(_state.Path, SharedServer.Spec, environment: new Dictionary<string, string>
        {
            ["COPRIV_HOCON"] = "copriv.network.data-plane.idle-timeout = 2s",
        });
        int mark = server.LineCount;
        using (var stalled = InferProcess.Start(server, []))
        {
            stalled.WaitForLine(l => l.Contains(" serves "), Bound, "the offer it is served");
            Thread.Sleep(TimeSpan.FromSeconds(1.5));
            Assert.False(stalled.HasExited, stalled.Diagnosis);
            stalled.Freeze();

            var line = server.WaitForSessionLine(Bound, mark);
            Assert.Contains("failed at the server", line);
            Assert.Matches(IdleTimeout(), line);
        }

        mark = server.LineCount;
        using var next = InferProcess.Start(server, ["--json"]);
        Assert.True(next.WaitForExit(Bound) == 0, next.Diagnosis);
        Assert.True(next.JsonReport().GetProperty("predictionExact").GetBoolean());
        Assert.Contains("completed", server.WaitForSessionLine(Bound, mark));
    }

    private static (string Host, int Port) SplitAddress(string address)
    {
        int colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(no message from the peer within 2 s|took no data for 2 s)")]
    private static partial Regex IdleTimeout();
}
