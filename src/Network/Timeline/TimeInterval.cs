namespace CoPriv.Network.Timeline;

/// <summary>A stretch of time from <see cref="Start"/> to <see cref="End"/>, in seconds on the clock that recorded it.</summary>
public readonly record struct TimeInterval(double Start, double End)
{
    public double Seconds => End - Start;
}
