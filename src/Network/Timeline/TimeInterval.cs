namespace CoPriv.Network.Timeline;

/// <summary>
/// A stretch of time from <see cref="Start"/> to <see cref="End"/>, in seconds on the clock that recorded it, of which
/// <see cref="CoveredSeconds"/> were actually covered: all of it, unless it is an <see cref="IntervalUnion"/>'s
/// interval whose gaps were filled.
/// </summary>
public readonly record struct TimeInterval(double Start, double End, double CoveredSeconds)
{
    /// <summary>A stretch covered all through.</summary>
    public TimeInterval(double start, double end) : this(start, end, end - start) { }

    public double Seconds => End - Start;
}
