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

    /// <summary>
    /// Runs a convolution protocol with random weights, bias and shared input (from <paramref name="seed"/>) and
    /// checks that its output is the direct convolution plus bias, bit for bit at scale 2s, and that its measured bytes
    /// are its cost.
    /// </summary>
    public static void AssertEqualsDirectConvolution(FixedPoint fp, ConvShape shape, ulong seed,
        Func<long[], long[], LinearLayerProtocol> forServer, Func<LinearLayerProtocol> forClient)
    {
        var weights = LinearTestData.Signed(shape.WeightLength, 1L << fp.Scale, seed);
        var bias = LinearTestData.Signed(shape.K, 1L << fp.Scale, seed + 1);
        var x = LinearTestData.RingValues(fp, shape.InputLength, 8.0, seed + 2);
        var (xs, xc) = Share(fp.Ring, x, seed + 3);

        var server = forServer(weights, bias);
        var run = Run(server, forClient(), xs, xc, seed + 4);

        var expected = DirectConvolutionOracle.Compute(fp.Ring, shape, weights, x);
        ConvolutionReference.AddBias(fp.Ring, bias, fp.Scale, shape.OutH * shape.OutW, expected);
        Assert.Equal(fp.Scale, run.Server.PendingShift);
        Assert.Equal(expected, Reconstruct(fp.Ring, run.Server, run.Client));
        Assert.Equal(server.Cost, CommunicationCost.Measured(run.ServerMeter, run.ClientMeter));
    }
}
