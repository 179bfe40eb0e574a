using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// The edges of max pooling and argmax that the result tests do not reach: the bit triples a call asks for and takes
/// from the pre-processing store (k − 1 sign comparisons per window or row, counted here from the millionaires' AND
/// formula, not from the protocols), the handshake telling parties that disagree on window size, variant, radix,
/// classes or output mode so, the smallest ring, the size of the final reveal, a server index share that names no
/// class, and bad arguments refused as such before anything is sent.
/// </summary>
public sealed class PoolingEdgeTests : IDisposable
{
    private static readonly Ring Ring41 = new(41);
    private readonly SessionPair _session = SessionPair.Create(seed: 81);

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// ANDs of one DReLU on an ℓ-bit ring: Mill(ℓ − 1) over q = ⌈(ℓ − 1)/m⌉ digits takes 2(q − 1) − ⌈log₂ q⌉ of them.
    /// </summary>
    private static long AndsPerSign(int ringBits, int radix) =>
        MillionaireEdgeTests.ExpectedAnds(ringBits - 1, radix, needEqual: false);

    [Theory]
    [InlineData(3, 1, 41, 4)]
    [InlineData(3, 2, 41, 4)]
    [InlineData(3, 4, 41, 4)]
    [InlineData(3, 5, 41, 4)]
    [InlineData(7, 9, 32, 3)]
    [InlineData(1, 16, 64, 8)]
    [InlineData(0, 5, 41, 4)]
    public void Max_pool_asks_for_the_triples_of_k_minus_1_relus_per_window(int windows, int windowSize, int bits, int radix)
    {
        long expected = (long)windows * (windowSize - 1) * AndsPerSign(bits, radix);
        Assert.Equal(expected, MaxPoolProtocol.TriplesNeeded(windows, windowSize, new Ring(bits), radix));
    }

    [Theory]
    [InlineData(3, 1, 41, 4)]
    [InlineData(3, 2, 41, 4)]
    [InlineData(3, 4, 41, 4)]
    [InlineData(3, 5, 41, 4)]
    [InlineData(7, 13, 32, 3)]
    [InlineData(1, 100, 64, 8)]
    [InlineData(0, 5, 41, 4)]
    public void Argmax_asks_for_the_triples_of_k_minus_1_drelus_per_row(int rows, int classes, int bits, int radix)
    {
        long expected = (long)rows * (classes - 1) * AndsPerSign(bits, radix);
        Assert.Equal(expected, ArgMaxProtocol.TriplesNeeded(rows, classes, new Ring(bits), radix));
    }

    /// <summary>Values 0..7 with duplicates, so that windows have ties and differences stay far inside the ring.</summary>
    private static ulong[] SmallValues(int n, int seed) =>
        Enumerable.Range(0, n).Select(i => (ulong)((i * 5 + seed + i / 3) % 8)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Max_pool_takes_exactly_its_triples_from_a_store_that_holds_them_and_none_from_one_short_by_one(int shortBy)
    {
        const int windows = 6, windowSize = 5;
        long needed = windows * (windowSize - 1) * AndsPerSign(41, 4);
        int fill = (int)needed - shortBy;
        _session.Run(ctx => { BitTripleStore.Fill(ctx, fill); return 0; }, ctx => { BitTripleStore.Fill(ctx, fill); return 0; });
        var x = SmallValues(windows * windowSize, 1);
        var x0 = new ulong[x.Length];
        var x1 = new ulong[x.Length];
        for (int i = 0; i < x.Length; i++) { x0[i] = Ring41.Mask - (ulong)i; x1[i] = Ring41.Sub(x[i], x0[i]); }

        var run = _session.Run(
            ctx => { var m = new ulong[windows]; MaxPoolProtocol.Run(ctx, Ring41, x0, windowSize, m); return m; },
            ctx => { var m = new ulong[windows]; MaxPoolProtocol.Run(ctx, Ring41, x1, windowSize, m); return m; });

        var max = Shares.Reconstruct(Ring41, run.Server, run.Client);
        for (int w = 0; w < windows; w++)
            Assert.Equal(x.Skip(w * windowSize).Take(windowSize).Max(), max[w]);
        long left = shortBy == 0 ? 0 : fill;
        Assert.Equal(left, BitTripleStore.Of(_session.Server).Available);
        Assert.Equal(left, BitTripleStore.Of(_session.Client).Available);
        var source = shortBy == 0 ? TripleSource.Store : TripleSource.Inline;
        Assert.Equal(MaxPoolProtocol.Cost(windows, windowSize, Ring41, triples: source), run.Cost);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Argmax_takes_exactly_its_triples_from_a_store_that_holds_them_and_none_from_one_short_by_one(int shortBy)
    {
        const int rows = 6, classes = 5;
        long needed = rows * (classes - 1) * AndsPerSign(41, 4);
        int fill = (int)needed - shortBy;
        _session.Run(ctx => { BitTripleStore.Fill(ctx, fill); return 0; }, ctx => { BitTripleStore.Fill(ctx, fill); return 0; });
        var x = SmallValues(rows * classes, 2);
        var x0 = new ulong[x.Length];
        var x1 = new ulong[x.Length];
        for (int i = 0; i < x.Length; i++) { x0[i] = (ulong)i * 0x1234567UL & Ring41.Mask; x1[i] = Ring41.Sub(x[i], x0[i]); }

        var run = _session.Run(
            ctx => { var k = new ulong[rows]; var m = new ulong[rows]; ArgMaxProtocol.RunShared(ctx, Ring41, x0, classes, k, m); return (k, m); },
            ctx => { var k = new ulong[rows]; var m = new ulong[rows]; ArgMaxProtocol.RunShared(ctx, Ring41, x1, classes, k, m); return (k, m); });

        var index = Shares.Reconstruct(Ring41, run.Server.k, run.Client.k);
        var max = Shares.Reconstruct(Ring41, run.Server.m, run.Client.m);
        for (int r = 0; r < rows; r++)
        {
            var row = x.Skip(r * classes).Take(classes).ToArray();
            Assert.Equal((ulong)Array.IndexOf(row, row.Max()), index[r]);
            Assert.Equal(row.Max(), max[r]);
        }
        long left = shortBy == 0 ? 0 : fill;
        Assert.Equal(left, BitTripleStore.Of(_session.Server).Available);
        Assert.Equal(left, BitTripleStore.Of(_session.Client).Available);
        var source = shortBy == 0 ? TripleSource.Store : TripleSource.Inline;
        Assert.Equal(ArgMaxProtocol.Cost(rows, classes, Ring41, ArgMaxOutput.Shares, triples: source), run.Cost);
    }

    private sealed record Mismatch(Action<PartyContext> Server, Action<PartyContext> Client, string Named);

    // Keyed by name (a plain string) so that each case is a test of its own for mutation testing. The windows, rows and
    // batch sizes agree, so only the named parameter differs.
    private static readonly Dictionary<string, Mismatch> Mismatches = new()
    {
        ["MaxPoolProtocol: window size 2 against 3"] = new(
            ctx => MaxPoolProtocol.Run(ctx, Ring41, new ulong[8], 2, new ulong[4]),
            ctx => MaxPoolProtocol.Run(ctx, Ring41, new ulong[12], 3, new ulong[4]),
            "window size"),
        ["MaxPoolProtocol: radix 4 against 5"] = new(
            ctx => MaxPoolProtocol.Run(ctx, Ring41, new ulong[8], 2, new ulong[4], radix: 4),
            ctx => MaxPoolProtocol.Run(ctx, Ring41, new ulong[8], 2, new ulong[4], radix: 5),
            "radix"),
        ["MaxPoolProtocol: chosen-message ReLU against the correlated multiplexer"] = new(
            ctx => MaxPoolProtocol.Run(ctx, Ring41, new ulong[8], 2, new ulong[4], ReluVariant.ChosenMessageOt),
            ctx => MaxPoolProtocol.Run(ctx, Ring41, new ulong[8], 2, new ulong[4], ReluVariant.CorrelatedOtMultiplexer),
            "variant"),
        ["ArgMaxProtocol.RunRevealToClient: radix 4 against 5"] = new(
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, new ulong[6], 3, new int[2], radix: 4),
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, new ulong[6], 3, new int[2], radix: 5),
            "radix"),
        ["ArgMaxProtocol.RunShared: radix 4 against 5"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[6], 3, new ulong[2], new ulong[2], radix: 4),
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[6], 3, new ulong[2], new ulong[2], radix: 5),
            "radix"),
        // 6 and 7 classes: equal when halved, and unequal in every tournament step but the first.
        ["ArgMaxProtocol.RunRevealToClient: 6 classes against 7"] = new(
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, new ulong[12], 6, new int[2]),
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, new ulong[14], 7, new int[2]),
            "classes"),
        ["ArgMaxProtocol.RunShared: 6 classes against 7"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[12], 6, new ulong[2], new ulong[2]),
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[14], 7, new ulong[2], new ulong[2]),
            "classes"),
        ["ArgMaxProtocol: revealing server against sharing client, 3 classes"] = new(
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, new ulong[6], 3, new int[2]),
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[6], 3, new ulong[2], new ulong[2]),
            "output"),
        ["ArgMaxProtocol: sharing server against revealing client, 2 classes"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[4], 2, new ulong[2], new ulong[2]),
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, new ulong[4], 2, new int[2]),
            "output"),
    };

    public static TheoryData<string> MismatchNames => new(Mismatches.Keys);

    [Theory]
    [MemberData(nameof(MismatchNames))]
    public void Parties_that_disagree_on_a_parameter_are_told_which_by_the_handshake(string name)
    {
        var m = Mismatches[name];
        var e = Assert.ThrowsAny<ProtocolException>(() => _session.Run(
            ctx => { m.Server(ctx); return 0; },
            ctx => { m.Client(ctx); return 0; }));
        Assert.Contains("parameter mismatch", e.Message);
        Assert.Contains(m.Named, e.Message);
    }

    // Both parties make the same bad call, so that a check that went missing would let the call run through (rather
    // than leave one party waiting): the call must fail with this exception type and parameter name, and nothing may
    // have been sent by either party.
    private sealed record BadCall(Action<PartyContext> Call, string? ParamName);

    private static readonly Dictionary<string, BadCall> BadCalls = new()
    {
        // A window of one needs no ReLU, so only the protocol's own check can see the radix.
        ["MaxPoolProtocol.Run: radix 9 with windows of one"] = new(
            ctx => MaxPoolProtocol.Run(ctx, Ring41, new ulong[3], 1, new ulong[3], radix: 9), "radix"),
        ["ArgMaxProtocol.RunRevealToClient: radix 9 with one class"] = new(
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, Ring41, new ulong[3], 1, new int[3], radix: 9), "radix"),
        ["ArgMaxProtocol.RunShared: radix 9 with one class"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[3], 1, new ulong[3], new ulong[3], radix: 9), "radix"),
        ["ArgMaxProtocol.RunShared: 5 scores for 2 rows of 2 classes"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[5], 2, new ulong[2], new ulong[2]), null),
        ["ArgMaxProtocol.RunShared: 3 scores for 2 rows of 1 class"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[3], 1, new ulong[2], new ulong[2]), null),
        ["ArgMaxProtocol.RunShared: room for 2 indices but 3 maxima"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[4], 2, new ulong[2], new ulong[3]), null),
        ["ArgMaxProtocol.RunShared: room for 2 indices but 1 maximum"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, Ring41, new ulong[4], 2, new ulong[2], new ulong[1]), null),
        ["ArgMaxProtocol.RunRevealToClient: 2^30 classes (an empty batch)"] = new(
            ctx => ArgMaxProtocol.RunRevealToClient(ctx, new Ring(64), [], 1 << 30, []), "classes"),
        ["ArgMaxProtocol.RunShared: 2^30 classes (an empty batch)"] = new(
            ctx => ArgMaxProtocol.RunShared(ctx, new Ring(64), [], 1 << 30, [], []), "classes"),
    };

    public static TheoryData<string> BadCallNames => new(BadCalls.Keys);

    [Theory]
    [MemberData(nameof(BadCallNames))]
    public void A_bad_argument_is_refused_as_such_by_both_parties_before_anything_is_sent(string name)
    {
        var call = BadCalls[name];
        var e = Assert.Throws<ArgumentException>(() => _session.Run(
            ctx => { call.Call(ctx); return 0; },
            ctx => { call.Call(ctx); return 0; }));
        Assert.Equal(call.ParamName, e.ParamName);
        Assert.Equal(0, _session.Server.Meter.Total().TotalBytes);
        Assert.Equal(0, _session.Client.Meter.Total().TotalBytes);
    }

    // The planning functions refuse what the protocols refuse, rather than price or count an impossible call.
    private static readonly Dictionary<string, (Action Call, string ParamName)> BadPlans = new()
    {
        ["MaxPoolProtocol.Cost: window size 0"] = (() => MaxPoolProtocol.Cost(4, 0, Ring41), "windowSize"),
        ["MaxPoolProtocol.Cost: radix 9 with windows of one"] = (() => MaxPoolProtocol.Cost(4, 1, Ring41, radix: 9), "radix"),
        ["MaxPoolProtocol.TriplesNeeded: window size 0"] = (() => MaxPoolProtocol.TriplesNeeded(4, 0, Ring41), "windowSize"),
        ["MaxPoolProtocol.TriplesNeeded: radix 9 with windows of one"] = (() => MaxPoolProtocol.TriplesNeeded(4, 1, Ring41, 9), "radix"),
        ["ArgMaxProtocol.Cost: 0 classes"] = (() => ArgMaxProtocol.Cost(2, 0, Ring41, ArgMaxOutput.Shares), "classes"),
        ["ArgMaxProtocol.Cost: radix 9 with one class"] = (() => ArgMaxProtocol.Cost(2, 1, Ring41, ArgMaxOutput.RevealToClient, radix: 9), "radix"),
        ["ArgMaxProtocol.TriplesNeeded: 0 classes"] = (() => ArgMaxProtocol.TriplesNeeded(2, 0, Ring41), "classes"),
        ["ArgMaxProtocol.TriplesNeeded: radix 9 with one class"] = (() => ArgMaxProtocol.TriplesNeeded(2, 1, Ring41, 9), "radix"),
        ["ArgMaxProtocol.TriplesNeeded: 2^30 classes"] = (() => ArgMaxProtocol.TriplesNeeded(0, 1 << 30, new Ring(64)), "classes"),
    };

    public static TheoryData<string> BadPlanNames => new(BadPlans.Keys);

    [Theory]
    [MemberData(nameof(BadPlanNames))]
    public void Costs_and_triple_counts_refuse_what_the_protocol_refuses(string name)
    {
        var (call, paramName) = BadPlans[name];
        Assert.Equal(paramName, Assert.Throws<ArgumentException>(call).ParamName);
    }

    // Valid arguments otherwise, so that only the null check can give this answer.
    private static readonly Dictionary<string, Action> NullContextCases = new()
    {
        ["MaxPoolProtocol.Run"] = () => MaxPoolProtocol.Run(null!, Ring41, new ulong[4], 2, new ulong[2]),
        ["MaxPoolProtocol.Run with windows of one"] = () => MaxPoolProtocol.Run(null!, Ring41, new ulong[2], 1, new ulong[2]),
        ["ArgMaxProtocol.RunRevealToClient"] = () => ArgMaxProtocol.RunRevealToClient(null!, Ring41, new ulong[4], 2, new int[2]),
        ["ArgMaxProtocol.RunShared"] = () => ArgMaxProtocol.RunShared(null!, Ring41, new ulong[4], 2, new ulong[2], new ulong[2]),
    };

    public static TheoryData<string> NullContextCaseNames => new(NullContextCases.Keys);

    [Theory]
    [MemberData(nameof(NullContextCaseNames))]
    public void A_null_context_is_refused_as_an_argument(string name) =>
        Assert.Equal("ctx", Assert.Throws<ArgumentNullException>(NullContextCases[name]).ParamName);

    [Fact]
    public void Max_pool_works_on_a_2_bit_ring()
    {
        // Every window of three values from {0, 1} (differences −1..1 fit the signed range −2..1), under several shares.
        var ring = new Ring(2);
        const int windowSize = 3;
        var x = Enumerable.Range(0, 8 * 8).SelectMany(i => new[] { (ulong)(i & 1), (ulong)(i >> 1 & 1), (ulong)(i >> 2 & 1) }).ToArray();
        int windows = x.Length / windowSize;
        var x0 = x.Select((_, i) => (ulong)(i * 7 + i / 24) & ring.Mask).ToArray();
        var x1 = x.Select((v, i) => ring.Sub(v, x0[i])).ToArray();
        var run = _session.Run(
            ctx => { var m = new ulong[windows]; MaxPoolProtocol.Run(ctx, ring, x0, windowSize, m); return m; },
            ctx => { var m = new ulong[windows]; MaxPoolProtocol.Run(ctx, ring, x1, windowSize, m); return m; });
        var max = Shares.Reconstruct(ring, run.Server, run.Client);
        for (int w = 0; w < windows; w++)
            Assert.Equal(Math.Max(x[3 * w], Math.Max(x[3 * w + 1], x[3 * w + 2])), max[w]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Argmax_works_on_a_2_bit_ring_with_as_many_classes_as_it_has_elements(int classes)
    {
        // Every row of scores from {0, 1}, under several shares; the indices 0..classes − 1 fit the ring.
        var ring = new Ring(2);
        int rows = 4 << classes;
        var x = Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range(0, classes).Select(j => (ulong)(r >> j & 1))).ToArray();
        var x0 = x.Select((_, i) => (ulong)(i * 3 + i / 16) & ring.Mask).ToArray();
        var x1 = x.Select((v, i) => ring.Sub(v, x0[i])).ToArray();
        var run = _session.Run(
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, ring, x0, classes, k); return k; },
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, ring, x1, classes, k); return k; });
        var shared = _session.Run(
            ctx => { var k = new ulong[rows]; ArgMaxProtocol.RunShared(ctx, ring, x0, classes, k, new ulong[rows]); return k; },
            ctx => { var k = new ulong[rows]; ArgMaxProtocol.RunShared(ctx, ring, x1, classes, k, new ulong[rows]); return k; });
        var index = Shares.Reconstruct(ring, shared.Server, shared.Client);
        for (int r = 0; r < rows; r++)
        {
            int expected = (r & ((1 << classes) - 1)) == 0 ? 0 : System.Numerics.BitOperations.TrailingZeroCount(r);
            Assert.Equal(expected, run.Client[r]);
            Assert.Equal((ulong)expected, index[r]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(100)]
    public void Revealing_to_the_client_adds_one_message_of_ceil_log2_classes_bits_per_row(int classes)
    {
        const int rows = 12;
        var x = SmallValues(rows * classes, 3);
        var x0 = x.Select((_, i) => (ulong)i * 0x9E3779B97UL & Ring41.Mask).ToArray();
        var x1 = x.Select((v, i) => Ring41.Sub(v, x0[i])).ToArray();
        var reveal = _session.Run(
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, Ring41, x0, classes, k); return k; },
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, Ring41, x1, classes, k); return k; });
        var shared = _session.Run(
            ctx => { ArgMaxProtocol.RunShared(ctx, Ring41, x0, classes, new ulong[rows], new ulong[rows]); return 0; },
            ctx => { ArgMaxProtocol.RunShared(ctx, Ring41, x1, classes, new ulong[rows], new ulong[rows]); return 0; });

        int bits = 1;
        while ((1 << bits) < classes) bits++;
        long revealBytes = (rows * bits + 7) / 8;
        Assert.Equal(shared.Cost.SentBy(PartyRole.Server) + revealBytes, reveal.Cost.SentBy(PartyRole.Server));
        Assert.Equal(shared.Cost.SentBy(PartyRole.Client), reveal.Cost.SentBy(PartyRole.Client));
        for (int r = 0; r < rows; r++)
        {
            var row = x.Skip(r * classes).Take(classes).ToArray();
            Assert.Equal(Array.IndexOf(row, row.Max()), reveal.Client[r]);
        }
    }

    [Fact]
    public void A_server_index_share_that_names_no_class_is_refused_by_the_client()
    {
        // One class: no tournament, both index shares are 0 and the server's 1-bit reveal is the only message after
        // the handshake. A server that flips it points at class 1 of 1.
        const int rows = 1;
        var e = Assert.Throws<ProtocolException>(() => _session.Run(
            ctx => { ArgMaxProtocol.RunRevealToClient(FlippingItsSecondMessage(ctx), Ring41, new ulong[rows], 1, new int[rows]); return 0; },
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, Ring41, new ulong[rows], 1, k); return k; }));
        Assert.Contains("class 1 of 1", e.Message);
    }

    /// <summary>The party's context with the low bit of its second message on the non-linear stream flipped.</summary>
    private static PartyContext FlippingItsSecondMessage(PartyContext ctx)
    {
        int sent = 0;
        var channel = new StreamWrappingChannel(ctx.Channel,
            s => s.Name == ParameterHandshake.StreamName ? new Flipping(s, () => ++sent == 2) : s);
        return new PartyContext(channel, ctx.Prg, ctx.Ot);
    }

    private sealed class Flipping(IMessageStream inner, Func<bool> flipThis) : IMessageStream
    {
        public string Name => inner.Name;

        public void Send(ReadOnlySpan<byte> message)
        {
            if (!flipThis())
            {
                inner.Send(message);
                return;
            }
            var copy = message.ToArray();
            copy[0] ^= 1;
            inner.Send(copy);
        }

        public void Receive(Span<byte> message) => inner.Receive(message);
    }
}
