using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// A layer instance holds one client mask: pre-processing it twice (which would draw a second mask over the first)
/// and an input share of the wrong length are refused before anything is sent. Mutation testing found both checks
/// unexercised.
/// </summary>
public class LayerMaskReuseMutationTests
{
    private static readonly LinearLayerOptions Options = new(new FixedPoint(24, 4));
    private const int Inputs = 4, Outputs = 2;

    [Fact]
    public void A_second_preprocessing_and_a_wrong_input_length_are_refused()
    {
        var server = FullyConnectedProtocol.ForServer(Inputs, Outputs, new long[Inputs * Outputs], [], Options);
        var client = FullyConnectedProtocol.ForClient(Inputs, Outputs, Options);

        var run = TwoPartyRunner.Run(
            ch => Misuse(server, PartyContext.Create(ch, AesPrg.FromTestSeed(100, 0)), Inputs + 1),
            ch => Misuse(client, PartyContext.Create(ch, AesPrg.FromTestSeed(100, 1)), Inputs - 1));

        foreach (var (again, wrongLength) in new[] { run.Server, run.Client })
        {
            Assert.Contains("a mask is used once", Assert.IsType<InvalidOperationException>(again).Message);
            Assert.Contains($"the layer expects {Inputs}", Assert.IsType<ArgumentException>(wrongLength).Message);
        }
    }

    private static (Exception? Again, Exception? WrongLength) Misuse(LinearLayerProtocol layer, PartyContext ctx, int length)
    {
        layer.Preprocess(ctx);
        return (Record.Exception(() => layer.Preprocess(ctx)), Record.Exception(() => layer.Online(ctx, new ulong[length])));
    }
}
