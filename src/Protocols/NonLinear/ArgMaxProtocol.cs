using System.Buffers;
using System.Numerics;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>Who gets the index an <see cref="ArgMaxProtocol"/> finds.</summary>
public enum ArgMaxOutput
{
    /// <summary>The client learns the index in the clear (the prediction); the server learns nothing.</summary>
    RevealToClient,

    /// <summary>Both parties get additive shares of the index (and of the maximum); nobody learns it.</summary>
    Shares,
}

/// <summary>
/// ArgMax over the classes of every row, as a tournament: in each step neighbours (a, b) play, the DReLU bit
/// d = [a − b ≥ 0] comes from Mill(ℓ − 1), and one correlated OT per direction carries both selections — the winner's
/// value b + d·(a − b) and its index ib + d·(ia − ib) — so ⌈log₂ k⌉ steps and k − 1 matches per row. Ties go to the
/// lower index, as <see cref="NonLinearReference.ArgMax"/> does. The indices start as the server's shares (the client
/// holding 0). Both parties call it with their score shares; with <see cref="ArgMaxOutput.RevealToClient"/> the
/// server finally sends its index share (⌈log₂ k⌉ bits per row) and only the client learns the winning class.
/// </summary>
public static class ArgMaxProtocol
{
    /// <summary>
    /// The client's <paramref name="index"/> receives the winning class of every row; the server's is filled with −1
    /// (the server learns nothing). Both pass spans of the row count.
    /// </summary>
    public static void RunRevealToClient(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> scoresShare, int classes,
        Span<int> index, int radix = MillionaireCore.DefaultRadix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        Validate(ring, scoresShare.Length, classes, index.Length, radix);
        int rows = index.Length;
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(rows, classes, ring, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.ArgMax, ring.Bits, ("radix", radix),
            ("classes and output", classes << 1 | (int)ArgMaxOutput.RevealToClient), rows, source,
            receivesLater: classes > 1);
        var buffer = ArrayPool<ulong>.Shared.Rent(Math.Max(2 * rows, 1));
        try
        {
            var indexShare = buffer.AsSpan(0, rows);
            Tournament(ctx, ring, scoresShare, classes, indexShare, buffer.AsSpan(rows, rows), radix, source);
            int bits = IndexBits(classes);
            ulong mask = (1UL << bits) - 1;
            var stream = ctx.Channel.Stream(ParameterHandshake.StreamName);
            if (rows == 0) return;
            if (ctx.Role == PartyRole.Server)
            {
                for (int r = 0; r < rows; r++) indexShare[r] &= mask;
                stream.SendPacked(indexShare, bits);
                index.Fill(-1);
            }
            else
            {
                var peer = buffer.AsSpan(rows, rows);
                stream.ReceivePacked(peer, bits);
                for (int r = 0; r < rows; r++)
                {
                    int k = (int)((indexShare[r] + peer[r]) & mask);
                    if (k >= classes)
                        throw new ProtocolException($"argmax: the server's index share gives class {k} of {classes}");
                    index[r] = k;
                }
            }
        }
        finally { ArrayPool<ulong>.Shared.Return(buffer); }
    }

    /// <summary>Additive shares (in <paramref name="ring"/>) of every row's winning index and of its maximum.</summary>
    public static void RunShared(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> scoresShare, int classes,
        Span<ulong> indexShare, Span<ulong> maxShare, int radix = MillionaireCore.DefaultRadix)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        Validate(ring, scoresShare.Length, classes, indexShare.Length, radix);
        if (maxShare.Length != indexShare.Length)
            throw new ArgumentException($"room for {indexShare.Length} indices but {maxShare.Length} maxima");
        var source = BitTripleStore.SourceFor(ctx, TriplesNeeded(indexShare.Length, classes, ring, radix));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.ArgMax, ring.Bits, ("radix", radix),
            ("classes and output", classes << 1 | (int)ArgMaxOutput.Shares), indexShare.Length, source,
            receivesLater: classes > 1);
        Tournament(ctx, ring, scoresShare, classes, indexShare, maxShare, radix, source);
    }

    /// <summary>Traffic of a run over <paramref name="rows"/> rows.</summary>
    public static CommunicationCost Cost(int rows, int classes, Ring ring, ArgMaxOutput output,
        int radix = MillionaireCore.DefaultRadix, TripleSource triples = TripleSource.Inline, OtBackendCosts? otCosts = null)
    {
        Validate(ring, rows * classes, classes, rows, radix);
        var ot = OtCallCost.Resolve(otCosts);
        var cost = ParameterHandshake.Cost;
        for (int count = classes; count > 1; count = (count + 1) / 2)
        {
            int matches = rows * (count / 2);
            cost += DreluProtocol.CoreCost(ot, matches, ring, radix, triples) + Multiplexer.VectorCost(ot, matches, ring, 2);
        }
        if (output == ArgMaxOutput.RevealToClient && rows > 0)
            cost += CommunicationCost.Online(((long)rows * IndexBits(classes) + 7) / 8, 0, 1);
        return cost;
    }

    /// <summary>Bit triples one call uses: those of its k − 1 DReLUs per row.</summary>
    public static long TriplesNeeded(int rows, int classes, Ring ring, int radix = MillionaireCore.DefaultRadix)
    {
        Validate(ring, rows * classes, classes, rows, radix);
        long t = 0;
        for (int count = classes; count > 1; count = (count + 1) / 2)
            t += DreluProtocol.TriplesNeeded(rows * (count / 2), ring, radix);
        return t;
    }

    private static int IndexBits(int classes) => Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)(classes - 1)));

    private static void Validate(Ring ring, int scores, int classes, int rows, int radix)
    {
        if (classes < 1) throw new ArgumentException($"there must be at least one class, got {classes}", nameof(classes));
        if (ring.Bits < 2) throw new ArgumentException("argmax needs a ring of at least 2 bits", nameof(ring));
        if ((long)rows * classes != scores)
            throw new ArgumentException($"{scores} scores do not form {rows} rows of {classes} classes");
        if (classes >= 1 << 30 || (ulong)(classes - 1) > ring.Mask)
            throw new ArgumentException($"{classes} classes do not fit the {ring.Bits}-bit ring", nameof(classes));
        MillionaireCore.CheckRadix(radix);
    }

    private static void Tournament(PartyContext ctx, Ring ring, ReadOnlySpan<ulong> scores, int classes,
        Span<ulong> indexShare, Span<ulong> maxShare, int radix, TripleSource source)
    {
        int rows = indexShare.Length, total = scores.Length;
        bool server = ctx.Role == PartyRole.Server;
        // Entries are (value, index) pairs, row-major; each step halves the entries of every row.
        var entryBuffer = ArrayPool<ulong>.Shared.Rent(Math.Max(2 * total, 1));
        var matchBuffer = ArrayPool<ulong>.Shared.Rent(Math.Max(total + total / 2, 1));
        var bitBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(total / 2, 1));
        try
        {
            var entries = entryBuffer.AsSpan(0, 2 * total);
            for (int i = 0; i < total; i++)
            {
                entries[2 * i] = scores[i] & ring.Mask;
                entries[2 * i + 1] = server ? (ulong)(i % classes) : 0;
            }
            for (int count = classes; count > 1; count = (count + 1) / 2)
            {
                int pairs = count / 2, next = (count + 1) / 2, matches = rows * pairs;
                // Per match: (a − b, ia − ib), then the winner is b + d·(a − b), ib + d·(ia − ib).
                var diff = matchBuffer.AsSpan(0, 2 * matches);
                var valueDiff = matchBuffer.AsSpan(total, matches);
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < pairs; j++)
                    {
                        int a = 2 * (r * count + 2 * j), b = a + 2, m = r * pairs + j;
                        diff[2 * m] = valueDiff[m] = ring.Sub(entries[a], entries[b]);
                        diff[2 * m + 1] = ring.Sub(entries[a + 1], entries[b + 1]);
                    }
                var d = bitBuffer.AsSpan(0, matches);
                DreluProtocol.Core(ctx, ring, valueDiff, d, radix, complement: true, source);
                Multiplexer.SelectVectors(ctx, ring, d, diff, diff, 2);
                for (int r = 0; r < rows; r++)
                {
                    for (int j = 0; j < pairs; j++)
                    {
                        int b = 2 * (r * count + 2 * j + 1), m = 2 * (r * pairs + j), dst = 2 * (r * next + j);
                        entries[dst] = ring.Add(entries[b], diff[m]);
                        entries[dst + 1] = ring.Add(entries[b + 1], diff[m + 1]);
                    }
                    if (count % 2 == 1)
                    {
                        int src = 2 * (r * count + count - 1), dst = 2 * (r * next + pairs);
                        entries[dst] = entries[src];
                        entries[dst + 1] = entries[src + 1];
                    }
                }
            }
            for (int r = 0; r < rows; r++)
            {
                maxShare[r] = entries[2 * r];
                indexShare[r] = entries[2 * r + 1];
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(entryBuffer);
            ArrayPool<ulong>.Shared.Return(matchBuffer);
            ArrayPool<byte>.Shared.Return(bitBuffer);
        }
    }
}
