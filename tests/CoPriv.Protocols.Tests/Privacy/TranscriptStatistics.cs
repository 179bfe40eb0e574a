namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// Counts, over many runs, how often each bit of a party's view is set, separately for the runs with the peer's
/// input A (sample 0) and B (sample 1), and judges:
/// (a) per bit position, whether the two samples differ (McDiarmid bound on the difference of the frequencies);
/// (b) per bit of every masked opening, whether it is balanced (Hoeffding), and per opening element, whether its
/// top bits are uniform (chi-square, 2^k − 1 degrees of freedom).
/// All tests of one judgement share the false-alarm rate by Bonferroni: each must fall below rate / (number of tests).
/// </summary>
internal sealed class TranscriptStatistics(Func<Observation, bool> isMaskedOpening)
{
    /// <summary>Top bits of an opening element whose joint distribution the chi-square test checks.</summary>
    private const int TopBits = 3;

    private readonly long[] _runs = new long[2];
    private List<Slot>? _layout;
    private long[][] _ones = [];
    private long[] _topCells = [];
    private string? _patternMismatch;

    /// <summary>Where one observation's bits (and, for an opening, its elements' top-bit cells) sit in the counters.</summary>
    private sealed record Slot(Observation First, int BitOffset, int OpeningOffset)
    {
        public bool IsOpening => OpeningOffset >= 0;
    }

    public long RunsPerSample => Math.Min(_runs[0], _runs[1]);

    /// <summary>Counts one run's view into sample 0 (peer input A) or 1 (peer input B).</summary>
    public void Add(int sample, IReadOnlyList<Observation> view)
    {
        if (_patternMismatch is not null) return;
        _layout ??= Layout(view);
        _patternMismatch = Mismatch(view);
        if (_patternMismatch is not null) return;
        var ones = _ones[sample];
        for (int s = 0; s < _layout.Count; s++)
        {
            var slot = _layout[s];
            var o = view[s];
            int offset = slot.BitOffset;
            for (int e = 0; e < o.Values.Length; e++)
            {
                ulong v = o.Values[e];
                int w = o.Widths[e];
                for (int b = 0; b < w; b++) ones[offset + b] += (long)((v >> b) & 1);
                offset += w;
                if (slot.IsOpening)
                {
                    int k = Math.Min(w, TopBits);
                    _topCells[((slot.OpeningOffset + e) << TopBits) + (int)((v >> (w - k)) & ((1UL << k) - 1))]++;
                }
            }
        }
        _runs[sample]++;
    }

    /// <summary>
    /// The positions that fail either judgement at the overall false-alarm rate, most significant first, with a
    /// one-line summary of what was tested.
    /// </summary>
    public (IReadOnlyList<string> Findings, string Summary) Judge(double falseAlarmRate)
    {
        if (_patternMismatch is not null) return ([_patternMismatch], "message pattern differs between runs");
        if (_layout is null || RunsPerSample == 0) throw new InvalidOperationException("no runs in one of the samples");
        long na = _runs[0], nb = _runs[1], all = na + nb;
        // Only p-values below the overall rate can fall below the per-test level, so only those are described.
        var candidates = new List<(double P, string What)>();
        double smallest = 1;
        long tests = 0;
        void Test(double p, Func<string> what)
        {
            tests++;
            smallest = Math.Min(smallest, p);
            if (p < falseAlarmRate) candidates.Add((p, what()));
        }

        foreach (var slot in _layout)
        {
            var o = slot.First;
            int offset = slot.BitOffset;
            for (int e = 0; e < o.Values.Length; e++)
            {
                int w = o.Widths[e];
                bool padded = false;
                for (int b = 0; b < w; b++, offset++)
                {
                    long a = _ones[0][offset], bOnes = _ones[1][offset];
                    int element = e, bit = b;
                    Test(TailBounds.TwoSampleDifference(a, na, bOnes, nb),
                        () => $"(a) {o} element {element} bit {bit}: set in {Frequency(a, na)} of the runs with peer input A, {Frequency(bOnes, nb)} with B");
                    if (!slot.IsOpening) continue;
                    if (IsPadding(slot, e, a + bOnes))
                    {
                        padded = true;
                        continue;
                    }
                    Test(TailBounds.BitBalance(a + bOnes, all),
                        () => $"(b) {o} element {element} bit {bit} of a masked opening: set in {Frequency(a + bOnes, all)} of the runs");
                }
                // A one-bit element's distribution is its balance, tested above.
                if (!slot.IsOpening || padded || w < 2) continue;
                int k = Math.Min(w, TopBits);
                var cells = _topCells.AsSpan((slot.OpeningOffset + e) << TopBits, 1 << k).ToArray();
                double expected = (double)all / cells.Length, x = 0;
                foreach (long c in cells) x += (c - expected) * (c - expected) / expected;
                int opened = e;
                Test(TailBounds.ChiSquare(x, cells.Length - 1),
                    () => $"(b) {o} element {opened}: top {k} bits not uniform, chi-square {x:0.0} with {cells.Length - 1} degrees of freedom (counts {string.Join(" ", cells)})");
            }
        }
        double level = falseAlarmRate / tests;
        var findings = candidates.Where(c => c.P < level).OrderBy(c => c.P)
            .Select(c => $"{c.What}; p ≤ {c.P:0.0e+0} < {level:0.0e+0}").ToList();
        return (findings, $"{na} + {nb} runs, {_layout.Count} observations, {tests:N0} tests at level {level:0.0e+0} each " +
                          $"(overall false-alarm rate {falseAlarmRate:0e+0}); smallest p-value bound {smallest:0.0e+0}");
    }

    /// <summary>
    /// The zero bits that fill the last byte of a packed message are no opening: a bit of a stream message's last byte
    /// that was never set in any run is taken for padding.
    /// </summary>
    private static bool IsPadding(Slot slot, int element, long ones) =>
        slot.First.Kind == ObservationKind.StreamMessage && element == slot.First.Values.Length - 1 && ones == 0;

    private static string Frequency(long ones, long n) => $"{(double)ones / n:0.000}";

    private List<Slot> Layout(IReadOnlyList<Observation> view)
    {
        var layout = new List<Slot>(view.Count);
        int bits = 0, openings = 0;
        foreach (var o in view)
        {
            bool opening = isMaskedOpening(o);
            layout.Add(new Slot(o, bits, opening ? openings : -1));
            foreach (int w in o.Widths) bits += w;
            if (opening) openings += o.Values.Length;
        }
        _ones = [new long[bits], new long[bits]];
        _topCells = new long[openings << TopBits];
        return layout;
    }

    /// <summary>A difference in what arrives, message by message, is itself a leak when it follows the input.</summary>
    private string? Mismatch(IReadOnlyList<Observation> view)
    {
        var layout = _layout!;
        if (view.Count != layout.Count)
            return $"the observer received {view.Count} messages and OT outputs in one run but {layout.Count} in the first";
        for (int s = 0; s < layout.Count; s++)
        {
            var first = layout[s].First;
            var o = view[s];
            if (o.Source != first.Source || o.Sequence != first.Sequence || !o.Widths.AsSpan().SequenceEqual(first.Widths))
                return $"observation {s} is {o} with {o.Values.Length} elements in one run but {first} with {first.Values.Length} in the first";
        }
        return null;
    }
}
