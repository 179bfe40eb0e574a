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
/// With a public bit-width B ≤ ℓ of R's entries (signed: every entry in [−2^{B−1}, 2^{B−1})), the receiver chooses
/// with bits 0..B−1 only and both parties weigh the top one by −2^{B−1} (two's complement), so the product is still
/// exact and costs B OTs per entry instead of ℓ; at B = ℓ the weight −2^{ℓ−1} is +2^{ℓ−1} mod 2^ℓ, so one rule serves
/// both. Neither party learns anything about the other's matrix (B is public). OTs are numbered entry-major
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

    /// <summary>How the p·n entries (B OTs each) are cut into OT calls.</summary>
    internal readonly record struct BatchPlan(long Entries, int EntriesPerBatch)
    {
        public long FullBatches => Entries / EntriesPerBatch;
        public int LastBatchEntries => (int)(Entries % EntriesPerBatch);
    }

    /// <summary>
    /// Batches hold whole rows of R when a row fits (so the sender's correlation pattern repeats and is built once),
    /// otherwise as many entries as fit.
    /// </summary>
    internal static BatchPlan Plan(int p, int n, int m, int bits)
    {
        long entries = (long)p * n;
        long valuesPerEntry = (long)bits * m;
        long rowValues = n * valuesPerEntry, rowOts = (long)n * bits;
        long perBatch;
        if (rowValues <= MaxValuesPerBatch && rowOts <= MaxOtsPerBatch)
        {
            long rows = Math.Min(MaxValuesPerBatch / rowValues, MaxOtsPerBatch / rowOts);
            perBatch = Math.Min(rows, p) * n;
        }
        else
        {
            perBatch = Math.Max(1, Math.Min(MaxValuesPerBatch / valuesPerEntry, MaxOtsPerBatch / bits));
        }
        return new BatchPlan(entries, (int)Math.Min(perBatch, entries));
    }

    /// <summary>
    /// Exact traffic of <see cref="RunSender"/>/<see cref="RunReceiver"/> for R (p×n) · S (n×m) with
    /// <paramref name="sender"/> as the OT sender and R's entries <paramref name="bits"/> wide: every OT call of the
    /// plan, as the OT layer counts it under a backend with costs <paramref name="ot"/>.
    /// </summary>
    public static CommunicationCost Cost(OtBackendCosts ot, int p, int n, int m, int ell, int bits, PartyRole sender, Phase phase)
    {
        CheckBits(ell, bits);
        var plan = Plan(p, n, m, bits);
        var traffic = BatchTraffic(ot, plan.EntriesPerBatch, m, ell, bits).Times(plan.FullBatches);
        if (plan.LastBatchEntries > 0) traffic += BatchTraffic(ot, plan.LastBatchEntries, m, ell, bits);
        return traffic.ToCost(sender, phase);
    }

    /// <summary>One OT call of <paramref name="entries"/> whole entries: B OTs each, widths ℓ, ℓ−1, …, ℓ−B+1.</summary>
    private static OtTraffic BatchTraffic(OtBackendCosts ot, int entries, int valuesPerOt, int ell, int bits)
    {
        var widths = new int[entries * bits];
        for (int t = 0; t < widths.Length; t++) widths[t] = ell - t % bits;
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

    /// <summary>
    /// The OT sender's side: holds S (n×m, row-major), knows the public width <paramref name="bits"/> of R's entries;
    /// writes its share of R·S (p×m) to share.
    /// </summary>
    public static void RunSender(IOtSender ot, Ring ring, ReadOnlySpan<ulong> s, int p, int n, int m, int bits, Span<ulong> share)
    {
        CheckLength(s.Length, (long)n * m, "the sender's matrix");
        CheckLength(share.Length, (long)p * m, "the share of the product");
        int ell = ring.Bits;
        CheckBits(ell, bits);
        using var workspace = Workspace.Rent();
        var plan = Plan(p, n, m, bits);
        int maxOts = plan.EntriesPerBatch * bits;
        var delta = workspace.Delta((long)maxOts * m);
        var widths = workspace.Bits(maxOts);
        var x0 = workspace.Values((long)maxOts * m);
        bool patternRepeats = plan.EntriesPerBatch % n == 0;
        if (patternRepeats) FillCorrelations(s, n, m, ell, bits, 0, plan.EntriesPerBatch, delta, widths);
        share.Clear();
        for (long e0 = 0; e0 < plan.Entries; e0 += plan.EntriesPerBatch)
        {
            int entries = (int)Math.Min(plan.EntriesPerBatch, plan.Entries - e0);
            if (!patternRepeats) FillCorrelations(s, n, m, ell, bits, e0, entries, delta, widths);
            int ots = entries * bits;
            var x0Batch = x0[..(ots * m)];
            ot.SendCorrelatedPacked(delta[..(ots * m)], m, widths[..ots], x0Batch);
            Accumulate(x0Batch, e0, entries, n, m, bits, share);
        }
        // The sender's share is −Σ 2^k x0.
        ring.Negate(share, share);
    }

    /// <summary>
    /// The OT receiver's side: holds R (p×n, row-major), every entry in B = <paramref name="bits"/>-bit two's
    /// complement (checked: an entry that does not fit is refused, never clipped); writes its share of R·S (p×m) to share.
    /// </summary>
    public static void RunReceiver(IOtReceiver ot, Ring ring, ReadOnlySpan<ulong> r, int p, int n, int m, int bits, Span<ulong> share)
    {
        CheckLength(r.Length, (long)p * n, "the receiver's matrix");
        CheckLength(share.Length, (long)p * m, "the share of the product");
        int ell = ring.Bits;
        CheckBits(ell, bits);
        if (WeightBitWidth.Needed(ring, r) is var needed && needed > bits)
            throw new ArgumentException(
                $"the receiver's matrix has an entry that needs {needed} bits of two's complement, more than the product's B = {bits}");
        using var workspace = Workspace.Rent();
        var plan = Plan(p, n, m, bits);
        int maxOts = plan.EntriesPerBatch * bits;
        var choices = workspace.Choices(maxOts);
        var widths = workspace.Bits(maxOts);
        var received = workspace.Values((long)maxOts * m);
        for (int t = 0; t < maxOts; t++) widths[t] = ell - t % bits;
        share.Clear();
        for (long e0 = 0; e0 < plan.Entries; e0 += plan.EntriesPerBatch)
        {
            int entries = (int)Math.Min(plan.EntriesPerBatch, plan.Entries - e0);
            int ots = entries * bits;
            FillChoices(r.Slice((int)e0, entries), bits, choices);
            var batch = received[..(ots * m)];
            ot.ReceiveCorrelatedPacked(choices[..ots], m, widths[..ots], batch);
            Accumulate(batch, e0, entries, n, m, bits, share);
        }
        ring.Reduce(share);
    }

    private static void CheckBits(int ell, int bits)
    {
        if (bits < 1 || bits > ell)
            throw new ArgumentException($"the receiver's entries must be 1 to ℓ = {ell} bits wide, got B = {bits}", nameof(bits));
    }

    /// <summary>choices[e·B + k] = bit k of r[e], k &lt; B (the low B bits are r[e]'s B-bit two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillChoices(ReadOnlySpan<ulong> r, int bits, Span<byte> choices)
    {
        for (int e = 0; e < r.Length; e++)
        {
            ulong v = r[e];
            var c = choices.Slice(e * bits, bits);
            for (int k = 0; k < c.Length; k++) c[k] = (byte)((v >> k) & 1);
        }
    }

    /// <summary>
    /// Correlations of entries [e0, e0+count): for bit k &lt; B, row j = e mod n of S reduced to ℓ−k bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillCorrelations(ReadOnlySpan<ulong> s, int n, int m, int ell, int bits, long e0, int count,
        Span<ulong> delta, Span<int> widths)
    {
        for (int e = 0; e < count; e++)
        {
            int j = (int)((e0 + e) % n);
            var row = s.Slice(j * m, m);
            for (int k = 0; k < bits; k++)
            {
                int ot = e * bits + k;
                int width = ell - k;
                widths[ot] = width;
                ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
                var dst = delta.Slice(ot * m, m);
                for (int i = 0; i < m; i++) dst[i] = row[i] & mask;
            }
        }
    }

    /// <summary>
    /// share[c, ·] += Σ_{k&lt;B−1} 2^k · values[(e, k), ·] − 2^{B−1} · values[(e, B−1), ·] for every entry e = c·n + j
    /// of the batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(ReadOnlySpan<ulong> values, long e0, int entries, int n, int m, int bits, Span<ulong> share)
    {
        for (int e = 0; e < entries; e++)
        {
            long c = (e0 + e) / n;
            AddShiftedSum(values.Slice(e * bits * m, bits * m), m, bits, share.Slice((int)(c * m), m));
        }
    }

    /// <summary>
    /// acc[i] += Σ_{k&lt;bits−1} values[k·m + i] · 2^k − values[(bits−1)·m + i] · 2^{bits−1} (mod 2^64; callers reduce
    /// at the end): the rows of a two's-complement number of <paramref name="bits"/> bits.
    /// </summary>
    /// <remarks>
    /// Streams through the values once, bit after bit, with the m accumulators in L1: the loop that bounds the
    /// layer's local work, so it is vectorized with the widest registers the machine has.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddShiftedSum(ReadOnlySpan<ulong> values, int m, int bits, Span<ulong> acc)
    {
        if (bits < 1 || values.Length < bits * m || acc.Length < m)
            throw new ArgumentException($"{values.Length} values do not hold {bits} rows of {m}");
        ref ulong v0 = ref MemoryMarshal.GetReference(values);
        ref ulong a0 = ref MemoryMarshal.GetReference(acc);
        int top = bits - 1;
        int vectorEnd = 0;
        if (Vector512.IsHardwareAccelerated && m >= Vector512<ulong>.Count)
        {
            vectorEnd = m - m % Vector512<ulong>.Count;
            for (int k = 0; k < top; k++)
            {
                nuint row = (nuint)(k * m);
                for (int i = 0; i < vectorEnd; i += Vector512<ulong>.Count)
                {
                    var sum = Vector512.LoadUnsafe(ref a0, (nuint)i) + (Vector512.LoadUnsafe(ref v0, row + (nuint)i) << k);
                    sum.StoreUnsafe(ref a0, (nuint)i);
                }
            }
            nuint topRow = (nuint)(top * m);
            for (int i = 0; i < vectorEnd; i += Vector512<ulong>.Count)
            {
                var sum = Vector512.LoadUnsafe(ref a0, (nuint)i) - (Vector512.LoadUnsafe(ref v0, topRow + (nuint)i) << top);
                sum.StoreUnsafe(ref a0, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && m >= Vector256<ulong>.Count)
        {
            vectorEnd = m - m % Vector256<ulong>.Count;
            for (int k = 0; k < top; k++)
            {
                nuint row = (nuint)(k * m);
                for (int i = 0; i < vectorEnd; i += Vector256<ulong>.Count)
                {
                    var sum = Vector256.LoadUnsafe(ref a0, (nuint)i) + (Vector256.LoadUnsafe(ref v0, row + (nuint)i) << k);
                    sum.StoreUnsafe(ref a0, (nuint)i);
                }
            }
            nuint topRow = (nuint)(top * m);
            for (int i = 0; i < vectorEnd; i += Vector256<ulong>.Count)
            {
                var sum = Vector256.LoadUnsafe(ref a0, (nuint)i) - (Vector256.LoadUnsafe(ref v0, topRow + (nuint)i) << top);
                sum.StoreUnsafe(ref a0, (nuint)i);
            }
        }
        for (int i = vectorEnd; i < m; i++)
        {
            ulong sum = 0;
            for (int k = 0; k < top; k++) sum += Unsafe.Add(ref v0, k * m + i) << k;
            Unsafe.Add(ref a0, i) += sum - (Unsafe.Add(ref v0, top * m + i) << top);
        }
    }

    private static void CheckLength(int actual, long expected, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{what} has {actual} elements, expected {expected}");
    }
}
