namespace CoPriv.Network.Timeline;

/// <summary>
/// The union of many time intervals in bounded memory, for drawing what a party did over a run: intervals that overlap
/// or touch become one, and so do intervals separated by a gap of at most <see cref="ResolutionSeconds"/>. The
/// resolution starts at zero (an exact union) and grows only when more than the capacity of disjoint intervals would
/// be kept: then the smallest gaps are filled, half the capacity's worth, and the resolution becomes the largest gap
/// filled. So a run of millions of intervals keeps a few thousand, with the finest resolution that allows, and an
/// interval costs amortised O(log capacity).
/// <para>
/// <see cref="CoveredSeconds"/> is how much time the added intervals cover, and each interval kept knows its share
/// (<see cref="TimeInterval.CoveredSeconds"/>, less than its length where gaps were filled). It is exact while no gap
/// was filled, and it stays exact afterwards for intervals that never overlap each other (a link's transmissions); for
/// overlapping ones (concurrent flows) it is at least the exact union and at most the sum of the intervals' lengths.
/// </para>
/// Not thread-safe: the owner (a party's clock, a link direction) adds under its own lock.
/// </summary>
public sealed class IntervalUnion
{
    /// <summary>Disjoint intervals kept by default before the resolution grows.</summary>
    public const int DefaultCapacity = 4096;

    private readonly List<TimeInterval> _segments = [];
    private readonly int _capacity;
    private double _resolution, _covered;
    /// <summary>Room for the gaps when the intervals are coarsened (allocated once).</summary>
    private double[]? _gaps;

    public IntervalUnion(int capacity = DefaultCapacity)
    {
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "keep at least two intervals");
        _capacity = capacity;
    }

    /// <summary>How many disjoint intervals are kept (at most the capacity).</summary>
    public int Count => _segments.Count;

    /// <summary>Gaps of at most this many seconds between intervals are filled (0: the exact union).</summary>
    public double ResolutionSeconds => _resolution;

    /// <summary>Seconds covered by the intervals added (see the type's summary for when it is exact).</summary>
    public double CoveredSeconds => _covered;

    /// <summary>Adds [<paramref name="start"/>, <paramref name="end"/>]; an empty or reversed interval adds nothing.</summary>
    public void Add(double start, double end)
    {
        if (!(end > start)) return;
        int count = _segments.Count;
        // Intervals mostly arrive in time order: past the last one there is nothing to merge.
        if (count == 0 || start - _segments[count - 1].End > _resolution)
        {
            _segments.Add(new TimeInterval(start, end, end - start));
            _covered += end - start;
            if (count + 1 > _capacity) Coarsen();
            return;
        }

        int first = FirstReaching(start);
        int last = first;
        double mergedStart = start, mergedEnd = end, outside = end - start, added = 0, before = 0;
        while (last < count && _segments[last].Start - end <= _resolution)
        {
            var s = _segments[last];
            double overlap = Math.Max(0, Math.Min(end, s.End) - Math.Max(start, s.Start));
            outside -= overlap;
            // Inside a segment whose gaps were filled, the new time can lie only in what the segment does not cover.
            added += Math.Min(overlap, s.End - s.Start - s.CoveredSeconds);
            before += s.CoveredSeconds;
            mergedStart = Math.Min(mergedStart, s.Start);
            mergedEnd = Math.Max(mergedEnd, s.End);
            last++;
        }
        added += outside;
        var merged = new TimeInterval(mergedStart, mergedEnd, Math.Min(mergedEnd - mergedStart, before + added));
        _covered += merged.CoveredSeconds - before;
        if (last == first)
        {
            _segments.Insert(first, merged);
            if (count + 1 > _capacity) Coarsen();
            return;
        }
        _segments[first] = merged;
        _segments.RemoveRange(first + 1, last - first - 1);
    }

    /// <summary>
    /// A copy of the union cut at <paramref name="until"/> (later time dropped, covered time with it) and with at most
    /// <paramref name="maxIntervals"/> intervals (coarsened further if need be, as the union itself would be).
    /// </summary>
    public IntervalSet Snapshot(int maxIntervals = DefaultCapacity, double until = double.PositiveInfinity)
    {
        if (maxIntervals < 1) throw new ArgumentOutOfRangeException(nameof(maxIntervals), maxIntervals, "keep at least one interval");
        var copy = new List<TimeInterval>(_segments.Count);
        foreach (var s in _segments)
        {
            if (s.Start >= until) break;
            copy.Add(s.End <= until ? s : new TimeInterval(s.Start, until, Math.Min(s.CoveredSeconds, until - s.Start)));
        }
        double resolution = _resolution;
        if (copy.Count > maxIntervals) resolution = Coarsen(copy, resolution, maxIntervals, new double[copy.Count]);
        var intervals = copy.ToArray();
        double covered = 0;
        foreach (var interval in intervals) covered += interval.CoveredSeconds;
        return new IntervalSet(intervals, covered, resolution);
    }

    private void Coarsen()
    {
        _gaps ??= new double[_capacity];
        _resolution = Coarsen(_segments, _resolution, _capacity / 2, _gaps);
        _covered = 0;
        foreach (var s in _segments) _covered += s.CoveredSeconds;
    }

    /// <summary>
    /// Fills the smallest gaps between <paramref name="segments"/> so that at most <paramref name="target"/> remain, and
    /// returns the new resolution: the largest gap filled (every gap is larger than the old resolution, which gaps of
    /// at most that were filled as they arose, so the resolution only grows).
    /// </summary>
    private static double Coarsen(List<TimeInterval> segments, double resolution, int target, double[] gaps)
    {
        int count = segments.Count;
        for (int i = 1; i < count; i++) gaps[i - 1] = segments[i].Start - segments[i - 1].End;
        Array.Sort(gaps, 0, count - 1);
        // Filling the count − target smallest gaps leaves target segments (equal gaps may leave fewer).
        resolution = Math.Max(resolution, gaps[count - 1 - target]);
        Merge(segments, resolution);
        return resolution;
    }

    /// <summary>Merges neighbours at most <paramref name="resolution"/> apart, in place.</summary>
    private static void Merge(List<TimeInterval> segments, double resolution)
    {
        int kept = 0;
        for (int i = 1; i < segments.Count; i++)
        {
            var current = segments[kept];
            var next = segments[i];
            if (next.Start - current.End <= resolution)
                segments[kept] = new TimeInterval(current.Start, Math.Max(current.End, next.End), current.CoveredSeconds + next.CoveredSeconds);
            else
                segments[++kept] = next;
        }
        segments.RemoveRange(kept + 1, segments.Count - kept - 1);
    }

    /// <summary>Index of the first segment that ends no more than the resolution before <paramref name="t"/>.</summary>
    private int FirstReaching(double t)
    {
        int lo = 0, hi = _segments.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (t - _segments[mid].End > _resolution) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
