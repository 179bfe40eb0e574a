using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>Runs one linear layer between a server and a client instance over an in-memory channel.</summary>
internal static class LinearHarness
{
    public static TwoPartyResult<LinearLayerOutput, LinearLayerOutput> Run(LinearLayerProtocol server, LinearLayerProtocol client,
        ulong[] serverInput, ulong[] clientInput, ulong seed)
    {
        var serverSends = IdealCorrelatedOt.CreatePair(seed);
        var clientSends = IdealCorrelatedOt.CreatePair(seed + 1);
        return TwoPartyRunner.Run(
            ch =>
            {
                var ports = new LinearPorts(PartyRole.Server, ch, AesPrg.FromTestSeed(seed, 10), serverSends.Sender, clientSends.Receiver);
                server.Preprocess(ports);
                return server.Online(ports, serverInput);
            },
            ch =>
            {
                var ports = new LinearPorts(PartyRole.Client, ch, AesPrg.FromTestSeed(seed, 11), clientSends.Sender, serverSends.Receiver);
                client.Preprocess(ports);
                return client.Online(ports, clientInput);
            },
            TimeSpan.FromSeconds(60));
    }

    /// <summary>Splits x into a random server share and the client's share x − server.</summary>
    public static (ulong[] Server, ulong[] Client) Share(Ring ring, ulong[] x, ulong seed)
    {
        var server = LinearTestData.Uniform(ring, x.Length, seed);
        var client = new ulong[x.Length];
        ring.Sub(x, server, client);
        return (server, client);
    }

    public static ulong[] Reconstruct(Ring ring, LinearLayerOutput a, LinearLayerOutput b)
    {
        Assert.Equal(a.PendingShift, b.PendingShift);
        var sum = new ulong[a.Share.Length];
        ring.Add(a.Share, b.Share, sum);
        return sum;
    }
}
