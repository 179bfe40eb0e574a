using CoPriv.Network.Timeline;

namespace CoPriv.Network.Tests.Timeline;

public class IntervalUnionTests
{
    [Fact]
    public void Overlapping_and_touching_intervals_become_one_and_cover_exactly_their_union()
    {
        var union = new IntervalUnion();
        union.Add(0, 1);
        union.Add(2, 3);
        union.Add(0.5, 1.5);
        union.Add(3, 4);
        union.Add(10, 11);
        union.Add(6, 7);
        union.Add(6.5, 6.75);

        var set = union.Snapshot();
        Assert.Equal([new TimeInterval(0, 1.5), new TimeInterval(2, 4), new TimeInterval(6, 7), new TimeInterval(10, 11)], set.Intervals);
        Assert.Equal(1.5 + 2 + 1 + 1, set.CoveredSeconds, 12);
        Assert.Equal(0, set.ResolutionSeconds);

        // Bridging two intervals and spanning several at once.
        union.Add(1.5, 2);
        union.Add(5, 12);
        Assert.Equal([new TimeInterval(0, 4), new TimeInterval(5, 12)], union.Snapshot().Intervals);
        Assert.Equal(4 + 7, union.CoveredSeconds, 12);
    }

    [Fact]
    public void Empty_reversed_and_undefined_intervals_add_nothing()
    {
        var union = new IntervalUnion();
        union.Add(1, 1);
        union.Add(2, 1);
        union.Add(double.NaN, 1);
        union.Add(0, double.NaN);

        var set = union.Snapshot();
        Assert.Equal((0, 0, 0.0), (union.Count, set.Intervals.Count, set.CoveredSeconds));
    }

    [Fact]
    public void Random_intervals_in_any_order_give_the_exact_union_while_under_the_capacity()
    {
        var random = new Random(3);
        var union = new IntervalUnion(capacity: 100_000);
        var added = new List<TimeInterval>();
        for (int i = 0; i < 3000; i++)
        {
            double start = random.NextDouble() * 1000, end = start + random.NextDouble() * random.NextDouble() * 2;
            union.Add(start, end);
            added.Add(new TimeInterval(start, end));
        }

        var exact = ExactUnion(added);
        var set = union.Snapshot(maxIntervals: 100_000);
        Assert.Equal(exact.Select(i => (i.Start, i.End)), set.Intervals.Select(i => (i.Start, i.End)));
        Assert.All(set.Intervals, i => Assert.Equal(i.Seconds, i.CoveredSeconds, tolerance: 1e-12));
        Assert.Equal(exact.Sum(i => i.Seconds), set.CoveredSeconds, 9);
        Assert.Equal(0, set.ResolutionSeconds);
    }

    /// <summary>
    /// A million intervals of two overlapping "flows" (as concurrent flows of one party compute): the union keeps at
    /// most its capacity at any time, its intervals stay sorted, disjoint and further apart than the resolution, every
    /// interval added lies inside one of them, and the time covered lies between the exact union and the sum.
    /// </summary>
    [Fact]
    public void A_million_overlapping_intervals_stay_within_the_capacity_and_cover_between_the_exact_union_and_the_sum()
    {
        const int capacity = 512;
        var random = new Random(11);
        var union = new IntervalUnion(capacity);
        var added = new TimeInterval[1_000_000];
        double[] flowTime = [0, 0];
        double sum = 0;
        for (int i = 0; i < added.Length; i++)
        {
            int flow = i % 2;
            double start = flowTime[flow] + random.NextDouble() * 1e-3, end = start + random.NextDouble() * 1e-3;
            flowTime[flow] = end;
            union.Add(start, end);
            added[i] = new TimeInterval(start, end);
            sum += end - start;
            if (i % 1000 == 0) Assert.InRange(union.Count, 1, capacity);
        }

        var set = union.Snapshot(maxIntervals: capacity);
        Assert.InRange(set.Intervals.Count, 1, capacity);
        Assert.True(set.ResolutionSeconds > 0);
        Assert.All(set.Intervals.Zip(set.Intervals.Skip(1)), pair => Assert.True(pair.Second.Start - pair.First.End > set.ResolutionSeconds));
        Assert.Equal(0, added.Count(interval => !Contains(set.Intervals, interval)));
        double exact = ExactUnion(added).Sum(i => i.Seconds);
        Assert.InRange(set.CoveredSeconds, exact * (1 - 1e-9), sum * (1 + 1e-9));
    }

    /// <summary>Intervals that never overlap (a link's transmissions) keep their exact total however coarse the union gets.</summary>
    [Fact]
    public void Disjoint_intervals_keep_their_exact_total_when_gaps_are_filled()
    {
        var random = new Random(5);
        var union = new IntervalUnion(capacity: 64);
        // Out of order: first every other slot, then the ones between, as late bookings fill a link's gaps.
        var slots = Enumerable.Range(0, 100_000).Select(i => i % 2 == 0 ? i / 2 : 50_000 + i / 2).ToArray();
        double sum = 0;
        foreach (int slot in slots)
        {
            double length = random.NextDouble() * 0.9;
            union.Add(slot, slot + length);
            sum += length;
        }

        Assert.InRange(union.Count, 1, 64);
        Assert.True(union.ResolutionSeconds > 0);
        Assert.Equal(sum, union.CoveredSeconds, 6);
        Assert.Equal(sum, union.Snapshot(maxIntervals: 3).CoveredSeconds, 6);
    }

    [Fact]
    public void A_snapshot_is_cut_at_its_end_and_coarsened_to_the_size_asked_for()
    {
        var union = new IntervalUnion();
        for (int i = 0; i < 10; i++) union.Add(i, i + 0.5);

        var cut = union.Snapshot(until: 4.25);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => new TimeInterval(i, i + 0.5)).Append(new TimeInterval(4, 4.25)), cut.Intervals);
        Assert.Equal(4 * 0.5 + 0.25, cut.CoveredSeconds, 12);

        var coarse = union.Snapshot(maxIntervals: 3);
        Assert.InRange(coarse.Intervals.Count, 1, 3);
        Assert.True(coarse.ResolutionSeconds >= 0.5);
        Assert.Equal(0, coarse.Intervals[0].Start);
        Assert.Equal(9.5, coarse.Intervals[^1].End);
        Assert.Equal(5, coarse.CoveredSeconds, 12);
        Assert.Equal(5, coarse.Intervals.Sum(i => i.CoveredSeconds), 12);
        // The union itself is untouched.
        Assert.Equal(10, union.Count);
        Assert.Equal(0, union.ResolutionSeconds);
    }

    [Fact]
    public void Coarsening_fills_the_smallest_gaps_first_and_keeps_what_each_interval_covers()
    {
        var union = new IntervalUnion();
        union.Add(0, 1);
        union.Add(1.25, 2);
        union.Add(5, 6);
        union.Add(6.5, 7);
        union.Add(20, 21);

        var coarse = union.Snapshot(maxIntervals: 3);
        Assert.Equal([new TimeInterval(0, 2, 1.75), new TimeInterval(5, 7, 1.5), new TimeInterval(20, 21)], coarse.Intervals);
        Assert.Equal(0.5, coarse.ResolutionSeconds);
        Assert.Equal(4.25, coarse.CoveredSeconds, 12);
    }

    /// <summary>Whether one of the sorted, disjoint <paramref name="intervals"/> holds <paramref name="interval"/>.</summary>
    private static bool Contains(IReadOnlyList<TimeInterval> intervals, TimeInterval interval)
    {
        int lo = 0, hi = intervals.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (intervals[mid].Start <= interval.Start) lo = mid + 1; else hi = mid;
        }
        return lo > 0 && interval.End <= intervals[lo - 1].End;
    }

    private static List<TimeInterval> ExactUnion(IEnumerable<TimeInterval> intervals)
    {
        var union = new List<TimeInterval>();
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            if (union.Count > 0 && interval.Start <= union[^1].End)
                union[^1] = union[^1] with { End = Math.Max(union[^1].End, interval.End) };
            else
                union.Add(interval);
        }
        return union;
    }
}
