using System.Numerics;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// The OT core of every linear layer: additive shares of P = R·S where the correlated-OT receiver holds R (p×n)
/// and the sender holds S (n×m), both in Z_{2^ℓ}. For entry R[c, j] and bit k the receiver chooses with bit k of
/// R[c, j]; the OT carries row j of S (m values, each reduced to ℓ−k bits because it will be multiplied by 2^k).
/// The receiver gets x0 + bit·S[j, ·] and the sender keeps x0, so Σ_k 2^k (received − x0) = R[c, j]·S[j, ·].
/// Neither party learns anything about the other's matrix. OTs are numbered entry-major
/// (entry e = c·n + j, then bit k) and sent in batches of whole entries, see <see cref="Plan"/>.
/// </summary>
internal static class CorrelatedMatMul
{
    /// <summary>Values (of all OTs) carried by one batch, which bounds each party's buffers to 8 MiB.</summary>
    internal const int MaxValuesPerBatch = 1 << 20;

    /// <summary>OTs in one batch: large enough to amortize the per-call work, small enough to pipeline.</summary>
    internal const int MaxOtsPerBatch = 1 << 16;

    /// <summary>How the p·n entries (ℓ OTs each) are cut into OT calls.</summary>
    internal readonly record struct BatchPlan(long Entries, int EntriesPerBatch)
    {
        public long FullBatches => Entries / EntriesPerBatch;
        public int LastBatchEntries => (int)(Entries % EntriesPerBatch);
        public long Batches => FullBatches + (LastBatchEntries > 0 ? 1 : 0);
    }

    /// <summary>
    /// Batches hold whole rows of R when a row fits (so the sender's correlation pattern repeats and is built once),
    /// otherwise as many entries as fit.
    /// </summary>
    internal static BatchPlan Plan(int p, int n, int m, int ell)
    {
        long entries = (long)p * n;
        long valuesPerEntry = (long)ell * m;
        long rowValues = n * valuesPerEntry, rowOts = (long)n * ell;
        long perBatch;
        if (rowValues <= MaxValuesPerBatch && rowOts <= MaxOtsPerBatch)
        {
            long rows = Math.Min(MaxValuesPerBatch / rowValues, MaxOtsPerBatch / rowOts);
            perBatch = Math.Min(rows, p) * n;
        }
        else
        {
            perBatch = Math.Max(1, Math.Min(MaxValuesPerBatch / valuesPerEntry, MaxOtsPerBatch / ell));
        }
        return new BatchPlan(entries, (int)Math.Min(perBatch, entries));
    }

    /// <summary>The OT sender's side: holds S (n×m, row-major); writes its share of R·S (p×m) to share.</summary>
    public static void RunSender(IOtSender ot, Ring ring, ReadOnlySpan<ulong> s, int p, int n, int m, Span<ulong> share)
    {
        CheckLength(s.Length, (long)n * m, "the sender's matrix");
        CheckLength(share.Length, (long)p * m, "the share of the product");
        int ell = ring.Bits;
        var plan = Plan(p, n, m, ell);
        int maxOts = plan.EntriesPerBatch * ell;
        var delta = new ulong[(long)maxOts * m];
        var bits = new int[maxOts];
        var x0 = new ulong[delta.Length];
        bool patternRepeats = plan.EntriesPerBatch % n == 0;
        if (patternRepeats) FillCorrelations(s, n, m, ell, 0, plan.EntriesPerBatch, delta, bits);
        share.Clear();
        for (long e0 = 0; e0 < plan.Entries; e0 += plan.EntriesPerBatch)
        {
            int entries = (int)Math.Min(plan.EntriesPerBatch, plan.Entries - e0);
            if (!patternRepeats) FillCorrelations(s, n, m, ell, e0, entries, delta, bits);
            int ots = entries * ell;
            var x0Batch = x0.AsSpan(0, ots * m);
            ot.SendCorrelatedPacked(delta.AsSpan(0, ots * m), m, bits.AsSpan(0, ots), x0Batch);
            Accumulate(x0Batch, e0, entries, n, m, ell, share);
        }
        // The sender's share is −Σ 2^k x0.
        ring.Negate(share, share);
    }

    /// <summary>The OT receiver's side: holds R (p×n, row-major); writes its share of R·S (p×m) to share.</summary>
    public static void RunReceiver(IOtReceiver ot, Ring ring, ReadOnlySpan<ulong> r, int p, int n, int m, Span<ulong> share)
    {
        CheckLength(r.Length, (long)p * n, "the receiver's matrix");
        CheckLength(share.Length, (long)p * m, "the share of the product");
        int ell = ring.Bits;
        var plan = Plan(p, n, m, ell);
        int maxOts = plan.EntriesPerBatch * ell;
        var choices = new byte[maxOts];
        var bits = new int[maxOts];
        var received = new ulong[(long)maxOts * m];
        for (int t = 0; t < maxOts; t++) bits[t] = ell - t % ell;
        share.Clear();
        for (long e0 = 0; e0 < plan.Entries; e0 += plan.EntriesPerBatch)
        {
            int entries = (int)Math.Min(plan.EntriesPerBatch, plan.Entries - e0);
            int ots = entries * ell;
            for (int e = 0; e < entries; e++)
            {
                ulong v = r[(int)(e0 + e)];
                var c = choices.AsSpan(e * ell, ell);
                for (int k = 0; k < ell; k++) c[k] = (byte)((v >> k) & 1);
            }
            var batch = received.AsSpan(0, ots * m);
            ot.ReceiveCorrelatedPacked(choices.AsSpan(0, ots), m, bits.AsSpan(0, ots), batch);
            Accumulate(batch, e0, entries, n, m, ell, share);
        }
        ring.Reduce(share);
    }

    /// <summary>Correlations of entries [e0, e0+count): for bit k, row j = e mod n of S reduced to ℓ−k bits.</summary>
    private static void FillCorrelations(ReadOnlySpan<ulong> s, int n, int m, int ell, long e0, int count,
        Span<ulong> delta, Span<int> bits)
    {
        for (int e = 0; e < count; e++)
        {
            int j = (int)((e0 + e) % n);
            var row = s.Slice(j * m, m);
            for (int k = 0; k < ell; k++)
            {
                int ot = e * ell + k;
                int width = ell - k;
                bits[ot] = width;
                ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
                var dst = delta.Slice(ot * m, m);
                for (int i = 0; i < m; i++) dst[i] = row[i] & mask;
            }
        }
    }

    /// <summary>share[c, ·] += Σ_k 2^k · values[(e, k), ·] for every entry e = c·n + j of the batch.</summary>
    private static void Accumulate(ReadOnlySpan<ulong> values, long e0, int entries, int n, int m, int ell, Span<ulong> share)
    {
        for (int e = 0; e < entries; e++)
        {
            long c = (e0 + e) / n;
            AddShiftedSum(values.Slice(e * ell * m, ell * m), m, ell, share.Slice((int)(c * m), m));
        }
    }

    /// <summary>acc[i] += Σ_{k&lt;ell} values[k·m + i] · 2^k (mod 2^64; callers reduce at the end).</summary>
    internal static void AddShiftedSum(ReadOnlySpan<ulong> values, int m, int ell, Span<ulong> acc)
    {
        int i = 0;
        int lanes = Vector<ulong>.Count;
        if (Vector.IsHardwareAccelerated && m >= lanes)
        {
            for (; i + lanes <= m; i += lanes)
            {
                var sum = Vector<ulong>.Zero;
                for (int k = 0; k < ell; k++)
                    sum += Vector.ShiftLeft(new Vector<ulong>(values.Slice(k * m + i, lanes)), k);
                var a = new Vector<ulong>(acc.Slice(i, lanes)) + sum;
                a.CopyTo(acc.Slice(i, lanes));
            }
        }
        for (; i < m; i++)
        {
            ulong sum = 0;
            for (int k = 0; k < ell; k++) sum += values[k * m + i] << k;
            acc[i] += sum;
        }
    }

    private static void CheckLength(int actual, long expected, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{what} has {actual} elements, expected {expected}");
    }
}
