namespace CoPriv.Network.Timeline;

/// <summary>
/// A copy of an <see cref="IntervalUnion"/>: its disjoint intervals in time order, the time they cover (which fills no
/// gap, see <see cref="IntervalUnion.CoveredSeconds"/>) and the resolution at which gaps between them were filled.
/// </summary>
public sealed record IntervalSet(IReadOnlyList<TimeInterval> Intervals, double CoveredSeconds, double ResolutionSeconds)
{
    public static readonly IntervalSet Empty = new([], 0, 0);
}
