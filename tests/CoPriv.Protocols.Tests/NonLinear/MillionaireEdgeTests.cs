using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// The parts of the millionaires' core that a single <see cref="MillionaireProtocol.Run"/> call does not reach:
/// several comparisons in one call (each with its own offset in the shared leaf and gate layout), the equality output
/// and its extra ANDs, triples left over for the caller, triples taken from the pre-processing store, and the core's
/// own refusals of impossible comparisons (which its callers never send it, so they are checked on the core itself).
/// </summary>
public sealed class MillionaireEdgeTests : IDisposable
{
    private readonly SessionPair _session = SessionPair.Create(seed: 91);

    public void Dispose() => _session.Dispose();

    /// <summary>One group of comparisons: both parties' inputs and whether the equality is wanted.</summary>
    private sealed record Group(int Bits, ulong[] X, ulong[] Y, bool NeedEqual);

    /// <summary>A group of the millionaires' tests' inputs (equal values, neighbours, one-bit differences, extremes).</summary>
    private static Group MakeGroup(int bits, int n, bool needEqual, ulong seed)
    {
        var (x, y) = MillionaireTests.Inputs(bits, n, seed);
        return new Group(bits, x, y, needEqual);
    }

    /// <summary>ANDs per comparison, written out independently of the core: 2(q − 1), less ⌈log₂ q⌉ without equality.</summary>
    internal static int ExpectedAnds(int bits, int radix, bool needEqual)
    {
        int q = (bits + radix - 1) / radix;
        int log = q == 1 ? 0 : (int)Math.Ceiling(Math.Log2(q));
        return needEqual ? 2 * (q - 1) : 2 * (q - 1) - log;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void Several_comparisons_in_one_call_give_exact_greater_and_equal_shares_and_leave_the_extra_triples(int radix)
    {
        const int extra = 3;
        // Different widths (hence digit counts), counts above one and mixed equality outputs: each group sits at its
        // own offset of the leaf and gate layout. The 3-bit group has a single digit for radix ≥ 3.
        Group[] groups =
        [
            MakeGroup(16, 5, needEqual: true, seed: 1),
            MakeGroup(12, 7, needEqual: false, seed: 2),
            MakeGroup(40, 9, needEqual: true, seed: 3),
            MakeGroup(3, 4, needEqual: true, seed: 4),
            MakeGroup(64, 6, needEqual: false, seed: 5),
        ];
        long ands = groups.Sum(g => (long)ExpectedAnds(g.Bits, radix, g.NeedEqual) * g.X.Length);

        var run = _session.Run(ctx => Party(ctx, g => g.X), ctx => Party(ctx, g => g.Y));

        for (int k = 0; k < groups.Length; k++)
        {
            var g = groups[k];
            var greater = Shares.ReconstructBits(run.Server.Greater[k], run.Client.Greater[k]);
            var equal = g.NeedEqual ? Shares.ReconstructBits(run.Server.Equal[k], run.Client.Equal[k]) : null;
            for (int i = 0; i < g.X.Length; i++)
            {
                Assert.True(NonLinearReference.Greater(g.X[i], g.Y[i]) == greater[i],
                    $"m={radix}, group {k} (ℓ={g.Bits}): [{g.X[i]} > {g.Y[i]}] came out {greater[i]}");
                if (equal is not null)
                    Assert.True((g.X[i] == g.Y[i] ? 1 : 0) == equal[i],
                        $"m={radix}, group {k} (ℓ={g.Bits}): [{g.X[i]} = {g.Y[i]}] came out {equal[i]}");
            }
        }
        // The batch holds exactly the comparisons' ANDs plus the extra ones, and only the extra ones are left.
        Assert.Equal(ands + extra, run.Server.Triples);
        Assert.Equal(ands + extra, run.Client.Triples);
        Assert.True(run.Server.ExtraLeft && run.Client.ExtraLeft, "the extra triples must be left unused, and no more");
        var shapes = groups.Select(g => new ComparisonShape(g.Bits, g.X.Length, g.NeedEqual)).ToArray();
        var ot = OtCallCost.Resolve(null);
        Assert.Equal(MillionaireCore.Cost(ot, shapes, radix) + BitTriples.Cost(ands + extra, ot), run.Cost);

        (byte[][] Greater, byte[][] Equal, int Triples, bool ExtraLeft) Party(PartyContext ctx, Func<Group, ulong[]> mine)
        {
            var greater = groups.Select(g => new byte[g.X.Length]).ToArray();
            var equal = groups.Select(g => new byte[g.NeedEqual ? g.X.Length : 0]).ToArray();
            var comparisons = groups.Select((g, k) =>
                new Comparison(g.Bits, mine(g), greater[k], g.NeedEqual ? equal[k] : Memory<byte>.Empty)).ToArray();
            using var triples = MillionaireCore.Run(ctx, radix, comparisons, extra, TripleSource.Inline);
            triples.Take(extra);
            bool extraLeft;
            try
            {
                triples.Take(1);
                extraLeft = false;
            }
            catch (InvalidOperationException)
            {
                extraLeft = true;
            }
            return (greater, equal, triples.Count, extraLeft);
        }
    }

    [Fact]
    public void Comparisons_with_stored_triples_are_exact_and_cost_no_triple_traffic_online()
    {
        const int bits = 31, n = 200;
        var g = MakeGroup(bits, n, needEqual: false, seed: 6);
        int needed = (int)MillionaireProtocol.TriplesNeeded(n, bits);
        _session.Run(ctx => { BitTripleStore.Fill(ctx, needed); return 0; },
            ctx => { BitTripleStore.Fill(ctx, needed); return 0; });

        var run = _session.Run(
            ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, g.X, r); return r; },
            ctx => { var r = new byte[n]; MillionaireProtocol.Run(ctx, bits, g.Y, r); return r; });

        var result = Shares.ReconstructBits(run.Server, run.Client);
        for (int i = 0; i < n; i++) Assert.Equal(NonLinearReference.Greater(g.X[i], g.Y[i]), result[i]);
        Assert.Equal(0, BitTripleStore.Of(_session.Server).Available);
        Assert.Equal(0, BitTripleStore.Of(_session.Client).Available);
        var stored = MillionaireProtocol.Cost(n, bits, triples: TripleSource.Store);
        Assert.Equal(stored, run.Cost);
        Assert.Equal(MillionaireProtocol.Cost(n, bits), stored + BitTriples.Cost(needed));
    }

    // Keyed by "case: the message it must give", a plain string, so that each case is a test of its own. Each party
    // builds its own comparisons (radix, comparisons, extra triples).
    private static readonly Dictionary<string, Func<(int Radix, Comparison[] Comparisons)>> CoreRefusals = new()
    {
        ["width 0: comparison width must be 1..64 bits, got 0"] = () => (4, [new(0, new ulong[2], new byte[2], Memory<byte>.Empty)]),
        ["width 65: comparison width must be 1..64 bits, got 65"] = () => (4, [new(65, new ulong[2], new byte[2], Memory<byte>.Empty)]),
        ["greater too long: comparison outputs must hold 2 bits each"] = () => (4, [new(8, new ulong[2], new byte[3], Memory<byte>.Empty)]),
        ["greater too short: comparison outputs must hold 2 bits each"] = () => (4, [new(8, new ulong[2], new byte[1], Memory<byte>.Empty)]),
        ["equal too short: comparison outputs must hold 2 bits each"] = () => (4, [new(8, new ulong[2], new byte[2], new byte[1])]),
        ["equal too long: comparison outputs must hold 2 bits each"] = () => (4, [new(8, new ulong[2], new byte[2], new byte[3])]),
        ["second of two: comparison outputs must hold 3 bits each"] = () =>
            (4, [new(8, new ulong[2], new byte[2], Memory<byte>.Empty), new(8, new ulong[3], new byte[3], new byte[2])]),
        ["radix 1: radix m must be between 2 and 8 bits, got 1"] = () => (1, [new(8, new ulong[2], new byte[2], Memory<byte>.Empty)]),
        ["radix 9: radix m must be between 2 and 8 bits, got 9"] = () => (9, [new(8, new ulong[2], new byte[2], Memory<byte>.Empty)]),
    };

    public static TheoryData<string> CoreRefusalNames => new(CoreRefusals.Keys);

    /// <summary>
    /// The core checks what it is given itself: both parties call it alike, so a check that is missing lets both of
    /// them run on (or fail later, after traffic, with another message) instead of refusing before anything is sent.
    /// </summary>
    [Theory]
    [MemberData(nameof(CoreRefusalNames))]
    public void The_core_refuses_an_impossible_comparison_before_anything_is_sent(string name)
    {
        string expected = name[(name.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        var run = _session.Run(Party, Party);
        Assert.Contains(expected, run.Server);
        Assert.Contains(expected, run.Client);
        Assert.Equal(0, run.Cost.TotalBytes);

        string Party(PartyContext ctx)
        {
            var (radix, comparisons) = CoreRefusals[name]();
            return Assert.ThrowsAny<ArgumentException>(
                () => MillionaireCore.Run(ctx, radix, comparisons, 0, TripleSource.Inline).Dispose()).Message;
        }
    }

    /// <summary>
    /// Counts that do not fit an int are refused as overflows before anything is sent, not wrapped to negative sizes:
    /// the triples with the caller's extra ones, and the leaves of all comparisons (two groups of 2^30 + 1 one-digit
    /// comparisons, whose inputs are never read: the memory reports its length only).
    /// </summary>
    [Theory]
    [InlineData("triples")]
    [InlineData("leaves")]
    public void Counts_beyond_int_range_are_refused_as_overflows_before_anything_is_sent(string count)
    {
        var run = _session.Run(Party, Party);
        Assert.True(run.Server && run.Client);
        Assert.Equal(0, run.Cost.TotalBytes);

        bool Party(PartyContext ctx)
        {
            const int huge = (1 << 30) + 1;
            var (comparisons, extra) = count == "triples"
                ? (new Comparison[] { new(8, new ulong[1], new byte[1], Memory<byte>.Empty) }, int.MaxValue)
                : (new Comparison[]
                {
                    new(1, new Unbacked<ulong>(huge).Memory, new Unbacked<byte>(huge).Memory, Memory<byte>.Empty),
                    new(1, new Unbacked<ulong>(huge).Memory, new Unbacked<byte>(huge).Memory, Memory<byte>.Empty),
                }, 0);
            Assert.Throws<OverflowException>(() => MillionaireCore.Run(ctx, 4, comparisons, extra, TripleSource.Inline).Dispose());
            return true;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void The_triple_count_refuses_a_radix_outside_2_to_8(int radix)
    {
        var e = Assert.Throws<ArgumentException>(() => MillionaireProtocol.TriplesNeeded(10, 31, radix));
        Assert.Contains($"radix m must be between 2 and 8 bits, got {radix}", e.Message);
        Assert.Equal("radix", e.ParamName);
    }

    [Fact]
    public void A_null_context_is_refused_as_an_argument() =>
        Assert.Equal("ctx", Assert.Throws<ArgumentNullException>(() => MillionaireProtocol.Run(null!, 31, [1], new byte[1])).ParamName);

    /// <summary>Memory of a given length with nothing behind it: for counts too large to allocate, never read.</summary>
    private sealed class Unbacked<T>(int length) : MemoryManager<T>
    {
        public override Memory<T> Memory => CreateMemory(length);
        public override Span<T> GetSpan() => throw new NotSupportedException("unbacked memory is never read");
        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException("unbacked memory is never pinned");
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }
}
