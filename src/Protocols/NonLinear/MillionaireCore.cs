using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// One group of comparisons x &gt; y run inside a combined millionaires' call: <see cref="Values"/> are this party's
/// inputs (the server's x or the client's y, each below 2^<see cref="Bits"/>); the XOR shares of x &gt; y (and, when
/// asked for, of x = y) are written to <see cref="Greater"/> and <see cref="Equal"/>.
/// </summary>
internal readonly record struct Comparison(int Bits, ReadOnlyMemory<ulong> Values, Memory<byte> Greater, Memory<byte> Equal)
{
    public int Count => Values.Length;
    public bool NeedEqual => !Equal.IsEmpty;
    public ComparisonShape Shape => new(Bits, Count, NeedEqual);
}

/// <summary>The size of a <see cref="Comparison"/>, which is all the cost depends on.</summary>
internal readonly record struct ComparisonShape(int Bits, int Count, bool NeedEqual);

/// <summary>
/// The millionaires' protocol of CrypTFlow2 (x with the server, y with the client): both values are cut into
/// q = ⌈bits/m⌉ digits of m bits (the top digit zero-padded, so every digit uses the same 1-of-2^m OT); for each digit
/// the server, as OT sender, offers for every possible client digit v its random shares of (x_j &gt; v, x_j = v), and
/// the client picks its own digit. The digit results are combined pairwise, low digit with the next higher one, in a
/// tree of ⌈log₂ q⌉ layers of AND gates: gt = gt_hi ⊕ eq_hi ∧ gt_lo, eq = eq_hi ∧ eq_lo, where the equality along the
/// lowest branch is never needed (that saves one AND per layer). The server learns nothing (it only sends OT
/// messages and one-time-padded openings); the client learns only its OT outputs, which are masked by the server's
/// random shares.
/// </summary>
internal static class MillionaireCore
{
    public const int DefaultRadix = 4;
    private const int LeafMessageBits = 2;

    public static void CheckRadix(int radix)
    {
        if (radix is < 2 or > 8)
            throw new ArgumentException($"the millionaires' radix m must be between 2 and 8 bits, got {radix}", nameof(radix));
    }

    public static int Digits(int bits, int radix) => (bits + radix - 1) / radix;

    /// <summary>⌈log₂ q⌉: the number of AND layers of the tree.</summary>
    public static int Layers(int digits)
    {
        int layers = 0;
        for (int span = 1; span < digits; span <<= 1) layers++;
        return layers;
    }

    /// <summary>ANDs per comparison: 2(q − 1) − ⌈log₂ q⌉, or 2(q − 1) when the equality is wanted too.</summary>
    public static int Ands(int digits, bool needEqual) =>
        needEqual ? 2 * (digits - 1) : 2 * (digits - 1) - Layers(digits);

    public static long TriplesNeeded(ReadOnlySpan<ComparisonShape> shapes, int radix)
    {
        long t = 0;
        foreach (var s in shapes) t += (long)Ands(Digits(s.Bits, radix), s.NeedEqual) * s.Count;
        return t;
    }

    /// <summary>Leaf OTs plus the tree's openings (the triples are costed by <see cref="BitTriples.Cost"/>).</summary>
    public static CommunicationCost Cost(OtBackendCosts ot, ReadOnlySpan<ComparisonShape> shapes, int radix)
    {
        long leaves = 0;
        int maxDigits = 1;
        foreach (var s in shapes)
        {
            int q = Digits(s.Bits, radix);
            leaves += (long)q * s.Count;
            maxDigits = Math.Max(maxDigits, q);
        }
        var cost = OtCallCost.OneOfN(ot, leaves, 1 << radix, LeafMessageBits, PartyRole.Server);
        for (int step = 1; step < maxDigits; step <<= 1)
        {
            long gates = 0;
            foreach (var s in shapes) gates += (long)GatesInLayer(Digits(s.Bits, radix), step, s.NeedEqual) * s.Count;
            cost += AndGates.OpeningCost(gates);
        }
        return cost;
    }

    private static int GatesInLayer(int digits, int step, bool needEqual)
    {
        int gates = 0;
        for (int j = 0; j + step < digits; j += 2 * step) gates += needEqual || j != 0 ? 2 : 1;
        return gates;
    }

    /// <summary>
    /// Runs all comparisons at once (one leaf-OT batch, one AND layer per tree level for all of them) and returns the
    /// bit triples made (or taken from the store) for them plus <paramref name="extraTriples"/> more, unused, for the
    /// caller's own ANDs.
    /// </summary>
    public static BitTriples Run(PartyContext ctx, int radix, Comparison[] comparisons, int extraTriples,
        TripleSource source)
    {
        CheckRadix(radix);
        Span<ComparisonShape> shapes = comparisons.Length <= 8 ? stackalloc ComparisonShape[comparisons.Length]
            : new ComparisonShape[comparisons.Length];
        for (int k = 0; k < comparisons.Length; k++)
        {
            var c = comparisons[k];
            if (c.Bits is < 1 or > 64)
                throw new ArgumentException($"comparison width must be 1..64 bits, got {c.Bits}");
            if (c.Greater.Length != c.Count || (c.NeedEqual && c.Equal.Length != c.Count))
                throw new ArgumentException($"comparison outputs must hold {c.Count} bits each");
            shapes[k] = c.Shape;
        }

        int tripleCount = checked((int)(TriplesNeeded(shapes, radix) + extraTriples));
        int leaves = 0, maxDigits = 1;
        foreach (var s in shapes)
        {
            int q = Digits(s.Bits, radix);
            leaves = checked(leaves + q * s.Count);
            maxDigits = Math.Max(maxDigits, q);
        }
        var gtBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(leaves, 1));
        var eqBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(leaves, 1));
        BitTriples? triples = null;
        try
        {
            // The leaves (server sends) and the triples (client sends) are independent OT batches.
            void Leaves()
            {
                if (ctx.Role == PartyRole.Server) LeavesAsSender(ctx, radix, comparisons, gtBuffer, eqBuffer, leaves);
                else LeavesAsReceiver(ctx, radix, comparisons, gtBuffer, eqBuffer, leaves);
            }

            if (source == TripleSource.Store)
            {
                triples = BitTripleStore.Of(ctx).Take(tripleCount);
                Leaves();
            }
            else
            {
                var tripleRandomness = ctx.Prg.Fork();
                OtDirections.Run(ctx, Leaves, () => triples = BitTriples.Generate(ctx, tripleRandomness, tripleCount));
            }

            var gt = gtBuffer.AsSpan(0, leaves);
            var eq = eqBuffer.AsSpan(0, leaves);
            for (int step = 1; step < maxDigits; step <<= 1) CombineLayer(ctx, radix, comparisons, step, gt, eq, triples!);
            int offset = 0;
            foreach (var c in comparisons)
            {
                gt.Slice(offset, c.Count).CopyTo(c.Greater.Span);
                if (c.NeedEqual) eq.Slice(offset, c.Count).CopyTo(c.Equal.Span);
                offset += Digits(c.Bits, radix) * c.Count;
            }
            return triples!;
        }
        catch
        {
            triples?.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gtBuffer);
            ArrayPool<byte>.Shared.Return(eqBuffer);
        }
    }

    /// <summary>Digit j (m bits) of v; digits above the value's width are zero.</summary>
    private static int Digit(ulong v, int j, int radix) => (int)((v >> (j * radix)) & ((1UL << radix) - 1));

    private static void LeavesAsSender(PartyContext ctx, int radix, Comparison[] comparisons, byte[] gt, byte[] eq,
        int leaves)
    {
        int n = 1 << radix;
        var table = LeafTable(radix);
        var maskBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(leaves, 1));
        var messageBuffer = ArrayPool<ulong>.Shared.Rent(Math.Max(leaves * n, 1));
        try
        {
            // The server's shares of every leaf's (gt, eq): random, and the OT messages are masked with them.
            var masks = maskBuffer.AsSpan(0, leaves);
            ctx.Prg.Fill(masks);
            var messages = messageBuffer.AsSpan(0, leaves * n);
            int leaf = 0;
            foreach (var c in comparisons)
            {
                var values = c.Values.Span;
                int q = Digits(c.Bits, radix);
                for (int j = 0; j < q; j++)
                {
                    for (int i = 0; i < values.Length; i++, leaf++)
                    {
                        int mask = masks[leaf] & 3;
                        gt[leaf] = (byte)(mask >> 1);
                        eq[leaf] = (byte)(mask & 1);
                        table.Slice((Digit(values[i], j, radix) * 4 + mask) * n, n).CopyTo(messages.Slice(leaf * n, n));
                    }
                }
            }
            ctx.Ot.Sender.SendOneOfN(messages, n, LeafMessageBits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(maskBuffer);
            ArrayPool<ulong>.Shared.Return(messageBuffer);
        }
    }

    private static void LeavesAsReceiver(PartyContext ctx, int radix, Comparison[] comparisons, byte[] gt, byte[] eq,
        int leaves)
    {
        int n = 1 << radix;
        var choiceBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(leaves, 1));
        var resultBuffer = ArrayPool<ulong>.Shared.Rent(Math.Max(leaves, 1));
        try
        {
            var choices = choiceBuffer.AsSpan(0, leaves);
            int leaf = 0;
            foreach (var c in comparisons)
            {
                var values = c.Values.Span;
                int q = Digits(c.Bits, radix);
                for (int j = 0; j < q; j++)
                    for (int i = 0; i < values.Length; i++) choices[leaf++] = (byte)Digit(values[i], j, radix);
            }
            var results = resultBuffer.AsSpan(0, leaves);
            ctx.Ot.Receiver.ReceiveOneOfN(choices, n, LeafMessageBits, results);
            for (int i = 0; i < leaves; i++)
            {
                gt[i] = (byte)((results[i] >> 1) & 1);
                eq[i] = (byte)(results[i] & 1);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(choiceBuffer);
            ArrayPool<ulong>.Shared.Return(resultBuffer);
        }
    }

    /// <summary>
    /// One tree layer for every comparison: node j absorbs node j + step (its higher neighbour). The gates of all
    /// comparisons go through one AND batch; layout per combined pair: [eq_hi ∧ gt_lo] then [eq_hi ∧ eq_lo].
    /// </summary>
    private static void CombineLayer(PartyContext ctx, int radix, ReadOnlySpan<Comparison> comparisons, int step,
        Span<byte> gt, Span<byte> eq, BitTriples triples)
    {
        int gates = 0;
        foreach (var c in comparisons) gates += GatesInLayer(Digits(c.Bits, radix), step, c.NeedEqual) * c.Count;
        if (gates == 0) return;
        var xBuffer = ArrayPool<byte>.Shared.Rent(gates);
        var yBuffer = ArrayPool<byte>.Shared.Rent(gates);
        var zBuffer = ArrayPool<byte>.Shared.Rent(gates);
        try
        {
            var x = xBuffer.AsSpan(0, gates);
            var y = yBuffer.AsSpan(0, gates);
            var z = zBuffer.AsSpan(0, gates);
            int pos = 0, offset = 0;
            foreach (var c in comparisons)
            {
                int q = Digits(c.Bits, radix), n = c.Count;
                for (int j = 0; j + step < q; j += 2 * step)
                {
                    var eqHi = eq.Slice(offset + (j + step) * n, n);
                    eqHi.CopyTo(x.Slice(pos, n));
                    gt.Slice(offset + j * n, n).CopyTo(y.Slice(pos, n));
                    pos += n;
                    if (c.NeedEqual || j != 0)
                    {
                        eqHi.CopyTo(x.Slice(pos, n));
                        eq.Slice(offset + j * n, n).CopyTo(y.Slice(pos, n));
                        pos += n;
                    }
                }
                offset += q * n;
            }

            AndGates.Evaluate(ctx, x, y, z, triples);

            pos = 0;
            offset = 0;
            foreach (var c in comparisons)
            {
                int q = Digits(c.Bits, radix), n = c.Count;
                for (int j = 0; j + step < q; j += 2 * step)
                {
                    var gtLo = gt.Slice(offset + j * n, n);
                    AndGates.Xor(gt.Slice(offset + (j + step) * n, n), z.Slice(pos, n), gtLo);
                    pos += n;
                    if (c.NeedEqual || j != 0)
                    {
                        z.Slice(pos, n).CopyTo(eq.Slice(offset + j * n, n));
                        pos += n;
                    }
                }
                offset += q * n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(xBuffer);
            ArrayPool<byte>.Shared.Return(yBuffer);
            ArrayPool<byte>.Shared.Return(zBuffer);
        }
    }

    private static readonly ulong[]?[] s_leafTables = new ulong[9][];

    /// <summary>
    /// The leaf messages of digit x masked with the server's shares (mask = gt share · 2 + eq share): row
    /// (x·4 + mask) holds, for every client digit v, ((x &gt; v) &lt;&lt; 1 | (x = v)) ⊕ mask.
    /// </summary>
    private static ReadOnlySpan<ulong> LeafTable(int radix)
    {
        var t = Volatile.Read(ref s_leafTables[radix]);
        if (t is not null) return t;
        int n = 1 << radix;
        t = new ulong[n * 4 * n];
        for (int x = 0; x < n; x++)
            for (int mask = 0; mask < 4; mask++)
                for (int v = 0; v < n; v++)
                    t[(x * 4 + mask) * n + v] = (ulong)((x > v ? 2 : 0) | (x == v ? 1 : 0)) ^ (ulong)mask;
        Volatile.Write(ref s_leafTables[radix], t);
        return t;
    }
}
