using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>An empty batch still checks the parameters and sends nothing else.</summary>
public class EmptyBatchTests
{
    [Fact]
    public void Empty_batches_cost_only_the_parameter_handshake()
    {
        var ring = new Ring(41);
        using var session = SessionPair.Create();
        var handshake = CommunicationCost.Online(16, 16, 2);
        void Check(Action<PartyContext> call, CommunicationCost predicted)
        {
            var run = session.Run(ctx => { call(ctx); return 0; }, ctx => { call(ctx); return 0; });
            Assert.Equal(handshake, run.Cost);
            Assert.Equal(handshake, predicted);
        }

        Check(ctx => MillionaireProtocol.Run(ctx, 31, [], []), MillionaireProtocol.Cost(0, 31));
        Check(ctx => ReluProtocol.Run(ctx, ring, [], []), ReluProtocol.Cost(0, ring));
        Check(ctx => FaithfulTruncation.Run(ctx, ring, 11, [], [], MsbKnowledge.Unknown),
            FaithfulTruncation.Cost(0, ring, 11, MsbKnowledge.Unknown));
        Check(ctx => TruncateAndReduce.Run(ctx, ring, 11, [], []), TruncateAndReduce.Cost(0, ring, 11));
        Check(ctx => PublicDivision.Run(ctx, ring, 9, [], []), PublicDivision.Cost(0, ring, 9));
        Check(ctx => MaxPoolProtocol.Run(ctx, ring, [], 4, []), MaxPoolProtocol.Cost(0, 4, ring));
        Check(ctx => ArgMaxProtocol.RunRevealToClient(ctx, ring, [], 10, []),
            ArgMaxProtocol.Cost(0, 10, ring, ArgMaxOutput.RevealToClient));
        Check(ctx => BooleanAnd.Run(ctx, [], [], []), BooleanAnd.Cost(0));
        Check(ctx => Multiplexer.Run(ctx, ring, [], [], []), Multiplexer.Cost(0, ring));
        Check(ctx => BooleanToArithmetic.Run(ctx, ring, [], []), BooleanToArithmetic.Cost(0, ring));
    }
}
