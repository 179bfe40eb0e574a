using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// The edges of faithful truncation, truncate-and-reduce and division by a public constant that their own tests do not
/// reach (mutation testing found each of these unguarded): the shortcuts that send nothing (a zero shift, a divisor
/// of one) still refuse bad arguments and a null context; the cost and triple counts refuse what the protocols refuse;
/// a bad parameter is reported as itself even when the buffers are wrong too; the extreme shifts and divisors of a
/// small ring, checked for every element; the width of the remainder comparisons; and parameter mismatches that the
/// handshake must catch and name.
/// </summary>
public sealed class TruncationEdgeTests : IDisposable
{
    private static readonly Ring Ring41 = new(41);
    private static readonly Ring Ring8 = new(8);

    // Made on first use: the null-context cases need none. xunit makes a new instance, hence a new session, per test.
    private SessionPair? _pair;

    private SessionPair Session => _pair ??= SessionPair.Create(seed: 140);

    public void Dispose() => _pair?.Dispose();

    // Keyed by name (a plain string) so that each case is a test of its own for mutation testing.
    private static readonly Dictionary<string, Action> NullContextCases = new()
    {
        ["FaithfulTruncation.Run"] = () => FaithfulTruncation.Run(null!, Ring41, 11, [1], new ulong[1], MsbKnowledge.Unknown),
        // The shortcuts that send nothing must refuse a null context too, not copy the shares.
        ["FaithfulTruncation.Run, zero shift"] = () => FaithfulTruncation.Run(null!, Ring41, 0, [1], new ulong[1], MsbKnowledge.Unknown),
        ["TruncateAndReduce.Run"] = () => TruncateAndReduce.Run(null!, Ring41, 11, [1], new ulong[1]),
        ["PublicDivision.Run"] = () => PublicDivision.Run(null!, Ring41, 9, [1], new ulong[1]),
        ["PublicDivision.Run, divisor 1"] = () => PublicDivision.Run(null!, Ring41, 1, [1], new ulong[1]),
    };

    public static TheoryData<string> NullContextCaseNames => new(NullContextCases.Keys);

    [Theory]
    [MemberData(nameof(NullContextCaseNames))]
    public void A_null_context_is_refused_as_an_argument(string name) =>
        Assert.Equal("ctx", Assert.Throws<ArgumentNullException>(NullContextCases[name]).ParamName);

    /// <summary>A refusal: the parameter it must name, a part of its message, and the call.</summary>
    private sealed record Refusal(string Param, string Message, Action<PartyContext> Call);

    private const string Radix1 = "radix m must be between 2 and 8 bits, got 1";
    private const string Radix9 = "radix m must be between 2 and 8 bits, got 9";

    // Keyed by name (a plain string) so that each case is a test of its own for mutation testing.
    private static readonly Dictionary<string, Refusal> Refusals = new()
    {
        // Shortcuts: a zero shift and a divisor of one copy the shares, but only after the arguments are checked.
        ["FaithfulTruncation.Run, zero shift, MSB knowledge 99"] = new("msb", "unknown MSB knowledge 99",
            ctx => FaithfulTruncation.Run(ctx, Ring41, 0, [1], new ulong[1], (MsbKnowledge)99)),
        ["FaithfulTruncation.Run, zero shift, radix 9"] = new("radix", Radix9,
            ctx => FaithfulTruncation.Run(ctx, Ring41, 0, [1], new ulong[1], MsbKnowledge.Unknown, radix: 9)),
        ["PublicDivision.Run, divisor 1, radix 1"] = new("radix", Radix1,
            ctx => PublicDivision.Run(ctx, Ring41, 1, [1], new ulong[1], radix: 1)),
        // A bad parameter is reported as itself, also when the result buffer has the wrong length as well.
        ["FaithfulTruncation.Run, shift 41 and a short result"] = new("shift", "truncation by 41 bits is outside 0..40",
            ctx => FaithfulTruncation.Run(ctx, Ring41, 41, [1, 2], new ulong[1], MsbKnowledge.Unknown)),
        ["TruncateAndReduce.Run, shift 0 and a short result"] = new("shift", "truncate-and-reduce by 0 bits is outside 1..40",
            ctx => TruncateAndReduce.Run(ctx, Ring41, 0, [1, 2], new ulong[1])),
        ["TruncateAndReduce.Run, radix 9 and a short result"] = new("radix", Radix9,
            ctx => TruncateAndReduce.Run(ctx, Ring41, 11, [1, 2], new ulong[1], radix: 9)),
        ["PublicDivision.Run, divisor 0 and a short result"] = new("divisor", "the divisor must be between 1 and 2^(ℓ−1)",
            ctx => PublicDivision.Run(ctx, Ring41, 0, [1, 2], new ulong[1])),
        // Costs and triple counts refuse what the protocols refuse, the shortcuts included.
        ["FaithfulTruncation.Cost, zero shift, MSB knowledge 99"] = new("msb", "unknown MSB knowledge 99",
            _ => FaithfulTruncation.Cost(10, Ring41, 0, (MsbKnowledge)99)),
        ["FaithfulTruncation.Cost, zero shift, radix 1"] = new("radix", Radix1,
            _ => FaithfulTruncation.Cost(10, Ring41, 0, MsbKnowledge.Unknown, radix: 1)),
        ["FaithfulTruncation.TriplesNeeded, zero shift, MSB knowledge 99"] = new("msb", "unknown MSB knowledge 99",
            _ => FaithfulTruncation.TriplesNeeded(10, Ring41, 0, (MsbKnowledge)99)),
        ["FaithfulTruncation.TriplesNeeded, shift 41"] = new("shift", "truncation by 41 bits is outside 0..40",
            _ => FaithfulTruncation.TriplesNeeded(10, Ring41, 41, MsbKnowledge.Unknown)),
        ["TruncateAndReduce.Cost, shift 0"] = new("shift", "truncate-and-reduce by 0 bits is outside 1..40",
            _ => TruncateAndReduce.Cost(10, Ring41, 0)),
        ["TruncateAndReduce.Cost, shift 41"] = new("shift", "truncate-and-reduce by 41 bits is outside 1..40",
            _ => TruncateAndReduce.Cost(10, Ring41, 41)),
        ["TruncateAndReduce.TriplesNeeded, shift 41"] = new("shift", "truncate-and-reduce by 41 bits is outside 1..40",
            _ => TruncateAndReduce.TriplesNeeded(10, Ring41, 41)),
        ["PublicDivision.Cost, divisor 1, radix 9"] = new("radix", Radix9,
            _ => PublicDivision.Cost(10, Ring41, 1, radix: 9)),
        ["PublicDivision.TriplesNeeded, divisor 1, radix 9"] = new("radix", Radix9,
            _ => PublicDivision.TriplesNeeded(10, Ring41, 1, radix: 9)),
        ["PublicDivision.TriplesNeeded, divisor 129 in an 8-bit ring"] = new("divisor", "2^(ℓ−1) = 2^7, got 129",
            _ => PublicDivision.TriplesNeeded(10, Ring8, 129)),
    };

    public static TheoryData<string> RefusalNames => new(Refusals.Keys);

    [Theory]
    [MemberData(nameof(RefusalNames))]
    public void A_bad_parameter_is_refused_as_itself_before_anything_is_sent(string name)
    {
        var refusal = Refusals[name];
        Session.Server.Meter.Reset();
        var e = Assert.Throws<ArgumentException>(() => refusal.Call(Session.Server));
        Assert.Equal(refusal.Param, e.ParamName);
        Assert.Contains(refusal.Message, e.Message);
        Assert.Equal(0, Session.Server.Meter.Total().TotalBytes);
    }

    /// <summary>Every element of Z_{2^8}, four times, each time under other shares (random ones and the edge splits).</summary>
    private static (ulong[] X, ulong[] Server, ulong[] Client) EveryElementOfRing8(ulong seed)
    {
        var x = Enumerable.Range(0, 4 * 256).Select(i => (ulong)(i % 256)).ToArray();
        var (x0, x1) = Shares.Split(Ring8, AesPrg.FromTestSeed(141, seed), x);
        return (x, x0, x1);
    }

    /// <summary>The signed reading of an 8-bit element, written out here rather than taken from the ring.</summary>
    private static long Signed8(ulong x) => x >= 128 ? (long)x - 256 : (long)x;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void Truncate_and_reduce_accepts_every_shift_from_one_to_l_minus_one_and_keeps_the_top_bits(int shift)
    {
        var (x, x0, x1) = EveryElementOfRing8((ulong)shift);
        var outRing = TruncateAndReduce.OutputRing(Ring8, shift);
        Assert.Equal(8 - shift, outRing.Bits);
        int n = x.Length;
        var run = Session.Run(
            ctx => { var y = new ulong[n]; TruncateAndReduce.Run(ctx, Ring8, shift, x0, y); return y; },
            ctx => { var y = new ulong[n]; TruncateAndReduce.Run(ctx, Ring8, shift, x1, y); return y; });
        ulong outMask = (1UL << (8 - shift)) - 1;
        for (int i = 0; i < n; i++)
        {
            ulong y = (run.Server[i] + run.Client[i]) & outMask;
            Assert.True(x[i] >> shift == y, $"s={shift}: {x[i]} >> {shift} came out {y} (shares {x0[i]}, {x1[i]})");
            // Read as signed in the smaller ring: the arithmetic shift of the signed value.
            Assert.Equal((ulong)(Signed8(x[i]) >> shift) & outMask, y);
        }
        Assert.Equal(TruncateAndReduce.Cost(n, Ring8, shift), run.Cost);
    }

    /// <summary>
    /// The divisor may be as large as 2^(ℓ−1) (here 128, a truncation by ℓ − 1 bits); 127 is the largest divisor that
    /// is not a power of two, and 5 and 85 are those whose remainder comparisons are exactly as wide as 3d − 1.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(85)]
    [InlineData(127)]
    [InlineData(128)]
    public void Division_is_exact_for_every_element_of_an_8_bit_ring_up_to_the_divisor_2_to_the_7(int divisor)
    {
        var (x, x0, x1) = EveryElementOfRing8((ulong)divisor);
        int n = x.Length;
        var run = Session.Run(
            ctx => { var y = new ulong[n]; PublicDivision.Run(ctx, Ring8, divisor, x0, y); return y; },
            ctx => { var y = new ulong[n]; PublicDivision.Run(ctx, Ring8, divisor, x1, y); return y; });
        for (int i = 0; i < n; i++)
        {
            long v = Signed8(x[i]);
            long q = v / divisor;
            if (q * divisor > v) q--;
            ulong y = (run.Server[i] + run.Client[i]) & 0xFF;
            Assert.True(((ulong)q & 0xFF) == y, $"{v} / {divisor} came out {Signed8(y)} (shares {x0[i]}, {x1[i]})");
        }
        Assert.Equal(PublicDivision.Cost(n, Ring8, divisor), run.Cost);
    }

    /// <summary>
    /// The remainder comparisons are as wide as the values compared, which stay below 3d: 4 bits for d = 3 (below 9)
    /// and for d = 5 (below 15), so the two divisions send exactly the same bytes; nothing else in the protocol depends
    /// on d.
    /// </summary>
    [Fact]
    public void Division_by_5_sends_exactly_as_much_as_division_by_3()
    {
        var ring = new Ring(32);
        var prg = AesPrg.FromTestSeed(142);
        var x = Shares.Values(ring, prg, 200, 2, 3);
        var (x0, x1) = Shares.Split(ring, prg, x);
        int n = x.Length;
        var costs = new List<CommunicationCost>();
        foreach (int divisor in new[] { 3, 5 })
        {
            var run = Session.Run(
                ctx => { var y = new ulong[n]; PublicDivision.Run(ctx, ring, divisor, x0, y); return y; },
                ctx => { var y = new ulong[n]; PublicDivision.Run(ctx, ring, divisor, x1, y); return y; });
            var y = Shares.Reconstruct(ring, run.Server, run.Client);
            for (int i = 0; i < n; i++)
                Assert.Equal(NonLinearReference.DivideFloor(ring, x[i], (ulong)divisor), y[i]);
            costs.Add(run.Cost);
        }
        Assert.Equal(costs[0], costs[1]);
        Assert.Equal(PublicDivision.Cost(n, ring, 3), PublicDivision.Cost(n, ring, 5));
    }

    // Keyed by name (a plain string) so that each case is a test of its own for mutation testing: the two parties'
    // calls, which differ in one parameter, and the name the mismatch message must give it.
    private static readonly Dictionary<string, (Action<PartyContext> Server, Action<PartyContext> Client, string Field)> Mismatches = new()
    {
        ["faithful truncation, MSB knowledge"] = (
            ctx => FaithfulTruncation.Run(ctx, Ring41, 11, new ulong[10], new ulong[10], MsbKnowledge.Unknown),
            ctx => FaithfulTruncation.Run(ctx, Ring41, 11, new ulong[10], new ulong[10], MsbKnowledge.NonNegative),
            "msb knowledge"),
        ["faithful truncation, radix"] = (
            ctx => FaithfulTruncation.Run(ctx, Ring41, 11, new ulong[10], new ulong[10], MsbKnowledge.Unknown, radix: 4),
            ctx => FaithfulTruncation.Run(ctx, Ring41, 11, new ulong[10], new ulong[10], MsbKnowledge.Unknown, radix: 5),
            "radix"),
        ["truncate-and-reduce, shift"] = (
            ctx => TruncateAndReduce.Run(ctx, Ring41, 11, new ulong[10], new ulong[10]),
            ctx => TruncateAndReduce.Run(ctx, Ring41, 12, new ulong[10], new ulong[10]),
            "shift"),
        ["truncate-and-reduce, radix"] = (
            ctx => TruncateAndReduce.Run(ctx, Ring41, 11, new ulong[10], new ulong[10], radix: 4),
            ctx => TruncateAndReduce.Run(ctx, Ring41, 11, new ulong[10], new ulong[10], radix: 5),
            "radix"),
        ["division, radix"] = (
            ctx => PublicDivision.Run(ctx, Ring41, 9, new ulong[10], new ulong[10], radix: 4),
            ctx => PublicDivision.Run(ctx, Ring41, 9, new ulong[10], new ulong[10], radix: 5),
            "radix"),
    };

    public static TheoryData<string> MismatchNames => new(Mismatches.Keys);

    /// <summary>
    /// Parties that disagree on one parameter stop at the handshake, whose message names that parameter. (The failed
    /// session is this test's own.)
    /// </summary>
    [Theory]
    [MemberData(nameof(MismatchNames))]
    public void A_parameter_the_parties_disagree_on_is_reported_by_name(string name)
    {
        var (server, client, field) = Mismatches[name];
        var e = Assert.ThrowsAny<ProtocolException>(() => Session.Run(
            ctx => { server(ctx); return 0; },
            ctx => { client(ctx); return 0; }));
        Assert.Contains("parameter mismatch", e.Message);
        Assert.Contains(field, e.Message);
    }
}
