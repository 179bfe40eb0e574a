using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;
using static CoPriv.Protocols.Tests.Privacy.SecretInputs;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// The non-linear protocols in the privacy harness: small batches (16 elements of a 16-bit ring) so that hundreds of
/// runs take a second or two, with every variant that sends something different.
/// </summary>
internal static class NonLinearPrivacyCases
{
    private const int N = 16;
    private const int Shift = 4;
    private static readonly Ring Ring = new(16);

    public static IReadOnlyList<PrivacyProtocol> All { get; } =
    [
        Case("millionaires' x > y", typeof(MillionaireProtocol),
            s => Independent(s, seed => Uniform(Ring, N, seed)),
            (ctx, x) => MillionaireProtocol.Run(ctx, Ring.Bits, x, new byte[N])),
        Case("millionaires' x > y, radix 3", typeof(MillionaireProtocol),
            s => Independent(s, seed => Uniform(Ring, N, seed)),
            (ctx, x) => MillionaireProtocol.Run(ctx, Ring.Bits, x, new byte[N], radix: 3)),
        Case("DReLU", typeof(DreluProtocol), Shares, (ctx, x) => DreluProtocol.Run(ctx, Ring, x, new byte[N])),
        Case("MSB", typeof(DreluProtocol), Shares, (ctx, x) => DreluProtocol.RunMsb(ctx, Ring, x, new byte[N])),
        Case("ReLU, chosen-message OTs", typeof(ReluProtocol), Shares,
            (ctx, x) => ReluProtocol.Run(ctx, Ring, x, new ulong[N], ReluVariant.ChosenMessageOt)),
        Case("ReLU, correlated-OT multiplexer", typeof(ReluProtocol), Shares,
            (ctx, x) => ReluProtocol.Run(ctx, Ring, x, new ulong[N], ReluVariant.CorrelatedOtMultiplexer)),
        Case("multiplexer", typeof(Multiplexer), SelectAndValueShares,
            (ctx, dx) => Multiplexer.Run(ctx, Ring, AsBits(dx.AsSpan(0, N)), dx.AsSpan(N), new ulong[N])),
        Case("multiplexer, chosen-message OTs (ReLU's selection)", typeof(Multiplexer), SelectAndValueShares,
            (ctx, dx) => Multiplexer.Core(ctx, Ring, AsBits(dx.AsSpan(0, N)), dx.AsSpan(N), new ulong[N], SelectionOt.ChosenMessage)),
        Case("boolean-to-arithmetic", typeof(BooleanToArithmetic),
            s => Independent(s, seed => Bits(N, seed)),
            (ctx, b) => BooleanToArithmetic.Run(ctx, Ring, AsBits(b), new ulong[N])),
        Case("AND", typeof(BooleanAnd),
            s => Independent(s, seed => Bits(2 * N, seed)),
            (ctx, xy) => BooleanAnd.Run(ctx, AsBits(xy.AsSpan(0, N)), AsBits(xy.AsSpan(N)), new byte[N])),
        Case("faithful truncation, MSB unknown", typeof(FaithfulTruncation), Shares,
            (ctx, x) => FaithfulTruncation.Run(ctx, Ring, Shift, x, new ulong[N], MsbKnowledge.Unknown)),
        Case("faithful truncation, non-negative (after ReLU)", typeof(FaithfulTruncation),
            s => SharesOf(s, Ring, seed => Uniform(new Ring(Ring.Bits - 1), N, seed)),
            (ctx, x) => FaithfulTruncation.Run(ctx, Ring, Shift, x, new ulong[N], MsbKnowledge.NonNegative)),
        Case("truncate-and-reduce", typeof(TruncateAndReduce), Shares,
            (ctx, x) => TruncateAndReduce.Run(ctx, Ring, Shift, x, new ulong[N])),
        Case("division by 3", typeof(PublicDivision), Shares,
            (ctx, x) => PublicDivision.Run(ctx, Ring, 3, x, new ulong[N])),
        Case("division by 4 (a truncation)", typeof(PublicDivision), Shares,
            (ctx, x) => PublicDivision.Run(ctx, Ring, 4, x, new ulong[N])),
        Case("max pool, 4 windows of 4", typeof(MaxPoolProtocol),
            s => SharesOf(s, Ring, seed => Signed(Ring, N, 1 << 10, seed)),
            (ctx, x) => MaxPoolProtocol.Run(ctx, Ring, x, 4, new ulong[N / 4])),
        Case("argmax revealed to the client, 3 rows of 5", typeof(ArgMaxProtocol), ScoresWithFixedWinners,
            (ctx, x) => ArgMaxProtocol.RunRevealToClient(ctx, Ring, x, Classes, new int[Rows])),
        Case("argmax shared, 3 rows of 5", typeof(ArgMaxProtocol), ScoresWithFixedWinners,
            (ctx, x) => ArgMaxProtocol.RunShared(ctx, Ring, x, Classes, new ulong[Rows], new ulong[Rows])),
        Case("bit-triple pre-processing", typeof(BitTripleStore),
            _ => new PartyInputs([], []),
            (ctx, _) => BitTripleStore.Fill(ctx, 2 * N)),
    ];

    private const int Rows = 3, Classes = 5;

    private static PrivacyProtocol Case(string name, Type protocol, Func<SecretSeeds, PartyInputs> inputs,
        Action<PartyContext, ulong[]> run) => new(name, protocol, inputs, run, MaskedOpenings.NonLinear);

    private static PartyInputs Shares(SecretSeeds seeds) => Independent(seeds, seed => Uniform(Ring, N, seed));

    /// <summary>Each party's input: its share of the selection bit, then its share of the value.</summary>
    private static PartyInputs SelectAndValueShares(SecretSeeds seeds) =>
        Independent(seeds, seed => Concat(Bits(N, seed), Uniform(Ring, N, seed)));

    /// <summary>
    /// The client learns the argmax, so the peer's inputs A and B must give it the same classes: row r's winner is
    /// class r mod 5 in both, only the other scores (and the shares) change.
    /// </summary>
    private static PartyInputs ScoresWithFixedWinners(SecretSeeds seeds) => SharesOf(seeds, Ring, seed =>
    {
        var scores = Signed(Ring, Rows * Classes, 1 << 10, seed);
        for (int r = 0; r < Rows; r++) scores[r * Classes + r % Classes] = 1 << 12;
        return scores;
    });
}
