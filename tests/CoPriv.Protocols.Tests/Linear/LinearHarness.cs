using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>Runs one linear layer between a server and a client instance over an in-memory channel.</summary>
internal static class LinearHarness
{
    public static TwoPartyResult<LinearLayerOutput, LinearLayerOutput> Run(LinearLayerProtocol server, LinearLayerProtocol client,
        ulong[] serverInput, ulong[] clientInput, ulong seed) =>
        TwoPartyRunner.Run(
            ch => server.Run(PartyContext.Create(ch, AesPrg.FromTestSeed(seed, 10)), serverInput),
            ch => client.Run(PartyContext.Create(ch, AesPrg.FromTestSeed(seed, 11)), clientInput),
            TimeSpan.FromSeconds(60));

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
