using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// Every non-linear protocol refuses impossible arguments before it sends anything, one bad argument at a time (a
/// combined check that fires only when several are wrong would let the others through), with a message that names
/// what is wrong. The checks are local, so one party's context suffices: nothing reaches the channel, which the
/// test confirms after each refusal.
/// </summary>
public sealed class NonLinearArgumentValidationTests(NonLinearArgumentValidationTests.Session session)
    : IClassFixture<NonLinearArgumentValidationTests.Session>
{
    private static readonly Ring Ring41 = new(41);
    private static readonly Ring Ring1 = new(1);

    // Keyed by "protocol: the message it must give", a plain string, so that each case is a test of its own (mutation
    // testing attributes coverage per case, and cannot for cases whose data it cannot serialize, such as delegates).
    private static readonly Dictionary<string, Action<PartyContext>> Cases = new()
    {
        ["MillionaireProtocol: comparison width must be 1..64 bits, got 0"] = ctx => MillionaireProtocol.Run(ctx, 0, [1], new byte[1]),
        ["MillionaireProtocol: comparison width must be 1..64 bits, got 65"] = ctx => MillionaireProtocol.Run(ctx, 65, [1], new byte[1]),
        ["MillionaireProtocol: 2 inputs but room for 1 results"] = ctx => MillionaireProtocol.Run(ctx, 8, [1, 2], new byte[1]),
        ["MillionaireProtocol: input 16 does not fit in 4 bits"] = ctx => MillionaireProtocol.Run(ctx, 4, [15, 16], new byte[2]),
        ["MillionaireProtocol: radix m must be between 2 and 8 bits, got 1"] = ctx => MillionaireProtocol.Run(ctx, 8, [1], new byte[1], radix: 1),
        ["MillionaireProtocol: radix m must be between 2 and 8 bits, got 9"] = ctx => MillionaireProtocol.Run(ctx, 8, [1], new byte[1], radix: 9),
        ["DreluProtocol: ℓ must be at least 2"] = ctx => DreluProtocol.Run(ctx, Ring1, [1], new byte[1]),
        ["DreluProtocol: 2 inputs but room for 1 results"] = ctx => DreluProtocol.Run(ctx, Ring41, [1, 2], new byte[1]),
        ["DreluProtocol: radix m must be between 2 and 8 bits, got 1"] = ctx => DreluProtocol.Run(ctx, Ring41, [1], new byte[1], radix: 1),
        ["DreluProtocol.RunMsb: ℓ must be at least 2"] = ctx => DreluProtocol.RunMsb(ctx, Ring1, [1], new byte[1]),
        ["DreluProtocol.RunMsb: 1 inputs but room for 2 results"] = ctx => DreluProtocol.RunMsb(ctx, Ring41, [1], new byte[2]),
        ["DreluProtocol.RunMsb: radix m must be between 2 and 8 bits, got 9"] = ctx => DreluProtocol.RunMsb(ctx, Ring41, [1], new byte[1], radix: 9),
        ["ReluProtocol: radix m must be between 2 and 8 bits, got 9"] = ctx => ReluProtocol.Run(ctx, Ring41, [1], new ulong[1], radix: 9),
        ["ReluProtocol: ReLU needs a ring of at least 2 bits"] = ctx => ReluProtocol.Run(ctx, Ring1, [1], new ulong[1]),
        ["ReluProtocol: 2 inputs but room for 1 results (0 sign bits)"] = ctx => ReluProtocol.Run(ctx, Ring41, [1, 2], new ulong[1]),
        ["ReluProtocol: 2 inputs but room for 2 results (1 sign bits)"] = ctx => ReluProtocol.Run(ctx, Ring41, [1, 2], new ulong[2], new byte[1]),
        ["ReluProtocol: unknown ReLU variant 99"] = ctx => ReluProtocol.Run(ctx, Ring41, [1], new ulong[1], (ReluVariant)99),
        ["FaithfulTruncation: 2 inputs but room for 1 results"] = ctx => FaithfulTruncation.Run(ctx, Ring41, 11, [1, 2], new ulong[1], MsbKnowledge.Unknown),
        ["FaithfulTruncation: truncation by -1 bits is outside 0..40 for a 41-bit ring"] = ctx => FaithfulTruncation.Run(ctx, Ring41, -1, [1], new ulong[1], MsbKnowledge.Unknown),
        ["FaithfulTruncation: truncation by 41 bits is outside 0..40"] = ctx => FaithfulTruncation.Run(ctx, Ring41, 41, [1], new ulong[1], MsbKnowledge.Unknown),
        ["FaithfulTruncation: unknown MSB knowledge 99"] = ctx => FaithfulTruncation.Run(ctx, Ring41, 11, [1], new ulong[1], (MsbKnowledge)99),
        ["TruncateAndReduce: 2 inputs but room for 1 results"] = ctx => TruncateAndReduce.Run(ctx, Ring41, 11, [1, 2], new ulong[1]),
        ["TruncateAndReduce: truncate-and-reduce by 0 bits is outside 1..40 for a 41-bit ring"] = ctx => TruncateAndReduce.Run(ctx, Ring41, 0, [1], new ulong[1]),
        ["TruncateAndReduce: truncate-and-reduce by 41 bits is outside 1..40"] = ctx => TruncateAndReduce.Run(ctx, Ring41, 41, [1], new ulong[1]),
        ["TruncateAndReduce: radix m must be between 2 and 8 bits, got 1"] = ctx => TruncateAndReduce.Run(ctx, Ring41, 11, [1], new ulong[1], radix: 1),
        ["PublicDivision: 2 inputs but room for 1 results"] = ctx => PublicDivision.Run(ctx, Ring41, 9, [1, 2], new ulong[1]),
        ["PublicDivision: the divisor must be between 1 and 2^(ℓ−1) = 2^40, got 0"] = ctx => PublicDivision.Run(ctx, Ring41, 0, [1], new ulong[1]),
        ["PublicDivision: the divisor must be between 1 and 2^(ℓ−1) = 2^7, got 129"] = ctx => PublicDivision.Run(ctx, new Ring(8), 129, [1], new ulong[1]),
        ["MaxPoolProtocol: window size must be positive, got 0"] = ctx => MaxPoolProtocol.Run(ctx, Ring41, [], 0, []),
        ["MaxPoolProtocol: max pooling needs a ring of at least 2 bits"] = ctx => MaxPoolProtocol.Run(ctx, Ring1, [1, 2], 2, new ulong[1]),
        ["MaxPoolProtocol: unknown ReLU variant 99"] = ctx => MaxPoolProtocol.Run(ctx, Ring41, [1, 2], 2, new ulong[1], (ReluVariant)99),
        ["MaxPoolProtocol: 5 inputs do not form 2 windows of 2"] = ctx => MaxPoolProtocol.Run(ctx, Ring41, [1, 2, 3, 4, 5], 2, new ulong[2]),
        ["ArgMaxProtocol: there must be at least one class, got 0"] = ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, [], 0, []),
        ["ArgMaxProtocol: argmax needs a ring of at least 2 bits"] = ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring1, [1, 0], 2, new int[1]),
        ["ArgMaxProtocol: 5 scores do not form 2 rows of 2 classes"] = ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, [1, 2, 3, 4, 5], 2, new int[2]),
        ["ArgMaxProtocol: 5 classes do not fit the 2-bit ring"] = ctx => ArgMaxProtocol.RunRevealToClient(ctx, new Ring(2), new ulong[5], 5, new int[1]),
        ["BooleanAnd: AND operands differ in length: 2, 1 → 2"] = ctx => BooleanAnd.Run(ctx, [0, 1], [1], new byte[2]),
        ["BooleanAnd: AND operands differ in length: 2, 2 → 1"] = ctx => BooleanAnd.Run(ctx, [0, 1], [1, 0], new byte[1]),
        ["BooleanAnd: bit shares must be 0 or 1, got 2"] = ctx => BooleanAnd.Run(ctx, [0, 2], [1, 0], new byte[2]),
        ["BooleanAnd: bit shares must be 0 or 1, got 3"] = ctx => BooleanAnd.Run(ctx, [0, 1], [3, 0], new byte[2]),
        ["BooleanToArithmetic: 2 bits but room for 1 results"] = ctx => BooleanToArithmetic.Run(ctx, Ring41, [0, 1], new ulong[1]),
        ["BooleanToArithmetic: bit shares must be 0 or 1, got 2"] = ctx => BooleanToArithmetic.Run(ctx, Ring41, [1, 2], new ulong[2]),
        ["Multiplexer: multiplexer operands differ in length: 1 bits, 2 values, 2 results"] = ctx => Multiplexer.Run(ctx, Ring41, [1], [5, 6], new ulong[2]),
        ["Multiplexer: multiplexer operands differ in length: 2 bits, 2 values, 1 results"] = ctx => Multiplexer.Run(ctx, Ring41, [1, 0], [5, 6], new ulong[1]),
        ["Multiplexer: bit shares must be 0 or 1, got 2"] = ctx => Multiplexer.Run(ctx, Ring41, [1, 2], [5, 6], new ulong[2]),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void An_impossible_argument_is_refused_before_anything_is_sent(string name)
    {
        var call = Cases[name];
        string expected = name[(name.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        session.Pair.Server.Meter.Reset();
        var e = Assert.ThrowsAny<ArgumentException>(() => call(session.Pair.Server));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, session.Pair.Server.Meter.Total().TotalBytes);
    }

    /// <summary>One session for all cases: none of them may touch the channel.</summary>
    public sealed class Session : IDisposable
    {
        internal SessionPair Pair { get; } = SessionPair.Create();

        public void Dispose() => Pair.Dispose();
    }
}
