using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CoPriv.Protocols.Channels;
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
    /// <summary>Values (of all OTs) carried by one batch, which bounds each of a party's buffers to 32 MiB.</summary>
    internal const int MaxValuesPerBatch = 1 << 22;

    /// <summary>
    /// OTs in one batch (SCI's call size too). Each call ends with the receiver waiting for the sender's last replies
    /// before the next call's requests leave, one round trip with the link idle: on a 40 ms WAN, ResNet-32's linear
    /// layers in calls of 2^16 OTs and 2^20 values spent ≈ 100 s of its latency there.
    /// </summary>
    internal const int MaxOtsPerBatch = 1 << 18;

    /// <summary>How the p·n entries (ℓ OTs each) are cut into OT calls.</summary>
    internal readonly record struct BatchPlan(long Entries, int EntriesPerBatch)
    {
        public long FullBatches => Entries / EntriesPerBatch;
        public int LastBatchEntries => (int)(Entries % EntriesPerBatch);
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

    /// <summary>
    /// Exact traffic of <see cref="RunSender"/>/<see cref="RunReceiver"/> for R (p×n) · S (n×m) with
    /// <paramref name="sender"/> as the OT sender: every OT call of the plan, as the OT layer counts it under a
    /// backend with costs <paramref name="ot"/>.
    /// </summary>
    public static CommunicationCost Cost(OtBackendCosts ot, int p, int n, int m, int ell, PartyRole sender, Phase phase)
    {
        var plan = Plan(p, n, m, ell);
        var traffic = BatchTraffic(ot, plan.EntriesPerBatch, m, ell).Times(plan.FullBatches);
        if (plan.LastBatchEntries > 0) traffic += BatchTraffic(ot, plan.LastBatchEntries, m, ell);
        return traffic.ToCost(sender, phase);
    }

    /// <summary>One OT call of <paramref name="entries"/> whole entries: ℓ OTs each, widths ℓ, ℓ−1, …, 1.</summary>
    private static OtTraffic BatchTraffic(OtBackendCosts ot, int entries, int valuesPerOt, int ell)
    {
        var widths = new int[entries * ell];
        for (int t = 0; t < widths.Length; t++) widths[t] = ell - t % ell;
        return ot.CorrelatedPacked(valuesPerOt, widths);
    }

    /// <summary>
    /// Buffers of one party's OT calls, reused across the batches of a product and, through a small pool
    /// (<see cref="Rent"/>; disposing returns it), across products and layers, so that the multi-megabyte arrays are
    /// allocated once: allocating them afresh per layer cost a ResNet-32 inference gigabytes of large-object garbage.
    /// Every buffer is written before it is read, so nothing of an earlier product is used. One per running product.
    /// </summary>
    private sealed class Workspace : IDisposable
    {
        /// <summary>Both parties of a session, and one more session, find a workspace waiting.</summary>
        private const int MaxPooled = 4;
        private static readonly ConcurrentBag<Workspace> Pool = [];

        private ulong[] _values = [], _delta = [];
        private int[] _bits = [];
        private byte[] _choices = [];
        private int _rented;

        /// <summary>A pooled workspace (or a new one); dispose it to give it back.</summary>
        public static Workspace Rent()
        {
            var workspace = Pool.TryTake(out var pooled) ? pooled : new Workspace();
            workspace._rented = 1;
            return workspace;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _rented, 0) == 1 && Pool.Count < MaxPooled) Pool.Add(this);
        }

        public Span<ulong> Values(long n) => Grow(ref _values, n);
        public Span<ulong> Delta(long n) => Grow(ref _delta, n);
        public Span<int> Bits(long n) => Grow(ref _bits, n);
        public Span<byte> Choices(long n) => Grow(ref _choices, n);

        private static Span<T> Grow<T>(ref T[] buffer, long n)
        {
            if (buffer.Length < n) buffer = new T[n];
            return buffer.AsSpan(0, (int)n);
        }
    }

    /// <summary>The OT sender's side: holds S (n×m, row-major); writes its share of R·S (p×m) to share.</summary>
    public static void RunSender(IOtSender ot, Ring ring, ReadOnlySpan<ulong> s, int p, int n, int m, Span<ulong> share)
    {
        CheckLength(s.Length, (long)n * m, "the sender's matrix");
        CheckLength(share.Length, (long)p * m, "the share of the product");
        using var workspace = Workspace.Rent();
        int ell = ring.Bits;
        var plan = Plan(p, n, m, ell);
        int maxOts = plan.EntriesPerBatch * ell;
        var delta = workspace.Delta((long)maxOts * m);
        var bits = workspace.Bits(maxOts);
        var x0 = workspace.Values((long)maxOts * m);
        bool patternRepeats = plan.EntriesPerBatch % n == 0;
        if (patternRepeats) FillCorrelations(s, n, m, ell, 0, plan.EntriesPerBatch, delta, bits);
        share.Clear();
        for (long e0 = 0; e0 < plan.Entries; e0 += plan.EntriesPerBatch)
        {
            int entries = (int)Math.Min(plan.EntriesPerBatch, plan.Entries - e0);
            if (!patternRepeats) FillCorrelations(s, n, m, ell, e0, entries, delta, bits);
            int ots = entries * ell;
            var x0Batch = x0[..(ots * m)];
            ot.SendCorrelatedPacked(delta[..(ots * m)], m, bits[..ots], x0Batch);
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
        using var workspace = Workspace.Rent();
        int ell = ring.Bits;
        var plan = Plan(p, n, m, ell);
        int maxOts = plan.EntriesPerBatch * ell;
        var choices = workspace.Choices(maxOts);
        var bits = workspace.Bits(maxOts);
        var received = workspace.Values((long)maxOts * m);
        for (int t = 0; t < maxOts; t++) bits[t] = ell - t % ell;
        share.Clear();
        for (long e0 = 0; e0 < plan.Entries; e0 += plan.EntriesPerBatch)
        {
            int entries = (int)Math.Min(plan.EntriesPerBatch, plan.Entries - e0);
            int ots = entries * ell;
            FillChoices(r.Slice((int)e0, entries), ell, choices);
            var batch = received[..(ots * m)];
            ot.ReceiveCorrelatedPacked(choices[..ots], m, bits[..ots], batch);
            Accumulate(batch, e0, entries, n, m, ell, share);
        }
        ring.Reduce(share);
    }

    /// <summary>choices[e·ℓ + k] = bit k of r[e].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillChoices(ReadOnlySpan<ulong> r, int ell, Span<byte> choices)
    {
        for (int e = 0; e < r.Length; e++)
        {
            ulong v = r[e];
            var c = choices.Slice(e * ell, ell);
            for (int k = 0; k < c.Length; k++) c[k] = (byte)((v >> k) & 1);
        }
    }

    /// <summary>Correlations of entries [e0, e0+count): for bit k, row j = e mod n of S reduced to ℓ−k bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(ReadOnlySpan<ulong> values, long e0, int entries, int n, int m, int ell, Span<ulong> share)
    {
        for (int e = 0; e < entries; e++)
        {
            long c = (e0 + e) / n;
            AddShiftedSum(values.Slice(e * ell * m, ell * m), m, ell, share.Slice((int)(c * m), m));
        }
    }

    /// <summary>acc[i] += Σ_{k&lt;ell} values[k·m + i] · 2^k (mod 2^64; callers reduce at the end).</summary>
    /// <remarks>
    /// Streams through the values once, bit after bit, with the m accumulators in L1: the loop that bounds the
    /// layer's local work, so it is vectorized with the widest registers the machine has.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddShiftedSum(ReadOnlySpan<ulong> values, int m, int ell, Span<ulong> acc)
    {
        if (values.Length < ell * m || acc.Length < m)
            throw new ArgumentException($"{values.Length} values do not hold {ell} rows of {m}");
        ref ulong v0 = ref MemoryMarshal.GetReference(values);
        ref ulong a0 = ref MemoryMarshal.GetReference(acc);
        int vectorEnd = 0;
        if (Vector512.IsHardwareAccelerated && m >= Vector512<ulong>.Count)
        {
            vectorEnd = m - m % Vector512<ulong>.Count;
            for (int k = 0; k < ell; k++)
            {
                nuint row = (nuint)(k * m);
                for (int i = 0; i < vectorEnd; i += Vector512<ulong>.Count)
                {
                    var sum = Vector512.LoadUnsafe(ref a0, (nuint)i) + (Vector512.LoadUnsafe(ref v0, row + (nuint)i) << k);
                    sum.StoreUnsafe(ref a0, (nuint)i);
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated && m >= Vector256<ulong>.Count)
        {
            vectorEnd = m - m % Vector256<ulong>.Count;
            for (int k = 0; k < ell; k++)
            {
                nuint row = (nuint)(k * m);
                for (int i = 0; i < vectorEnd; i += Vector256<ulong>.Count)
                {
                    var sum = Vector256.LoadUnsafe(ref a0, (nuint)i) + (Vector256.LoadUnsafe(ref v0, row + (nuint)i) << k);
                    sum.StoreUnsafe(ref a0, (nuint)i);
                }
            }
        }
        for (int i = vectorEnd; i < m; i++)
        {
            ulong sum = 0;
            for (int k = 0; k < ell; k++) sum += Unsafe.Add(ref v0, k * m + i) << k;
            Unsafe.Add(ref a0, i) += sum;
        }
    }

    private static void CheckLength(int actual, long expected, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{what} has {actual} elements, expected {expected}");
    }
}
