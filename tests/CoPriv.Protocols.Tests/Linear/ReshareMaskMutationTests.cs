using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.Tests.Privacy;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The client's online message x_c − r is masked by a fresh r. Without the mask the layer still computes the right
/// output, so the exactness tests pass it; mutation testing found that mutant surviving them. The transcript-privacy
/// suite catches it too, in minutes; this takes a second.
/// </summary>
public class ReshareMaskMutationTests
{
    private static readonly FixedPoint Format = new(24, 4);
    private const int Inputs = 32, Outputs = 2;

    /// <summary>The reshare message the server receives when the client's input share is zero: −r, packed.</summary>
    private static ulong[] ReceivedReshare(ObservedSession session, ulong runSeed)
    {
        var options = new LinearLayerOptions(Format, OrientationPolicy.ClientReceives, "mask");
        var weights = new long[Inputs * Outputs];
        var (server, _) = session.Run(runSeed,
            ctx => FullyConnectedProtocol.ForServer(Inputs, Outputs, weights, [], options).Run(ctx, new ulong[Inputs]),
            ctx => FullyConnectedProtocol.ForClient(Inputs, Outputs, options).Run(ctx, new ulong[Inputs]));
        return Assert.Single(server.Ordered(), o => o.Source == $"stream {options.ReshareStream}").Values;
    }

    [Fact]
    public void A_zero_input_share_goes_out_masked_and_differently_in_every_run()
    {
        using var session = ObservedSession.Create(95);

        var first = ReceivedReshare(session, 1);
        var second = ReceivedReshare(session, 2);

        Assert.Equal(Inputs * Format.Ring.Bits / 8, first.Length);
        Assert.True(first.Count(b => b == 0) < first.Length / 4, "the client sent its input share unmasked");
        Assert.NotEqual(first, second);
    }
}
