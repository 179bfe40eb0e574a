using CoPriv.Network.Timeline;

namespace CoPriv.Network.Links;

/// <summary>
/// One direction of a link, shared by all streams in that direction: a message occupies the link for its
/// transmission time, starting no earlier than it is sent and the link is free, then takes the one-way latency to
/// arrive. When messages are booked in the order of their send times (one flow, or real time) this is the
/// first-come-first-served queue start = max(send, link free), link free = start + bytes / bandwidth,
/// arrival = link free + latency.
/// <para>
/// In a simulation, concurrent flows book in real-time order, which need not be the order of their virtual send
/// times. A message booked later but sent earlier (in virtual time) than messages already booked takes the free
/// transmission time it finds from its send time on, in pieces if need be (as packets of concurrent connections
/// interleave on a real link) instead of queueing behind messages that were sent after it. Bookings already made are
/// never changed. Either way every message spends its full transmission time on the link after being sent, the
/// link carries at most one message at a time, and messages of one stream never overtake each other.
/// </para>
/// Times are seconds on whatever clock the caller uses (virtual or real), one clock for both directions.
/// <para>
/// With jitter, each message's arrival gets an extra delay drawn from an exponential distribution of the model's
/// mean, from a generator seeded with <paramref name="seed"/> (draws follow the booking order), and no message
/// arrives before one booked earlier: a direction delivers in order, as one TCP connection does.
/// </para>
/// <para>
/// For a timeline of the run the direction also keeps when it transmitted (<see cref="Transmissions"/>): every piece
/// of every booking, in an <see cref="IntervalUnion"/> of bounded size (the busy intervals above are only the recent
/// ones the queue needs).
/// </para>
/// </summary>
public sealed class LinkDirection(ILinkModel link, int seed = 1)
{
    /// <summary>Busy intervals kept; older ones are forgotten and count as busy (conservative).</summary>
    private const int MaxIntervals = 1024;

    private readonly object _gate = new();
    private readonly List<(double Start, double End)> _busy = [];
    private readonly Random _jitter = new(seed);
    private readonly IntervalUnion _transmissions = new();
    private double _floor, _lastArrival;
    private long _bytes, _messages;

    public ILinkModel Link { get; } = link;

    /// <summary>Books a message sent at <paramref name="sendSeconds"/> and returns when it arrives at the peer.</summary>
    public double Transmit(double sendSeconds, long bytes)
    {
        double transmission = Link.TransmissionSeconds(bytes);
        lock (_gate)
        {
            _bytes += bytes;
            _messages++;
            double finish = transmission > 0 ? Occupy(Math.Max(sendSeconds, _floor), transmission) : sendSeconds;
            double arrival = finish + Link.PropagationSeconds;
            double jitter = Link.MeanJitterSeconds;
            if (jitter <= 0) return arrival;
            arrival += -jitter * Math.Log(1 - _jitter.NextDouble());
            _lastArrival = Math.Max(_lastArrival, arrival);
            return _lastArrival;
        }
    }

    /// <summary>When the last booked transmission ends.</summary>
    public double BusyUntil
    {
        get { lock (_gate) return _busy.Count == 0 ? _floor : _busy[^1].End; }
    }

    public long BytesCarried { get { lock (_gate) return _bytes; } }

    /// <summary>
    /// When the direction transmitted so far, cut at <paramref name="until"/> and to at most
    /// <paramref name="maxIntervals"/> intervals. Bookings never overlap, so the time covered is the sum of the messages'
    /// transmission times (for bytes carried at one bandwidth: bytes / bandwidth, up to rounding), however coarse the intervals.
    /// </summary>
    public IntervalSet Transmissions(int maxIntervals = IntervalUnion.DefaultCapacity, double until = double.PositiveInfinity)
    {
        lock (_gate) return _transmissions.Snapshot(maxIntervals, until);
    }

    public long MessagesCarried { get { lock (_gate) return _messages; } }

    /// <summary>Fills the free time from <paramref name="from"/> on until <paramref name="duration"/> is used; returns the end.</summary>
    private double Occupy(double from, double duration)
    {
        int first = FirstEndingAfter(from);
        double cursor = from, left = duration, start = double.NaN;
        int i = first;
        while (true)
        {
            if (i < _busy.Count && _busy[i].Start <= cursor)
            {
                cursor = Math.Max(cursor, _busy[i].End);
                i++;
                continue;
            }
            if (double.IsNaN(start)) start = cursor;
            double gap = i < _busy.Count ? _busy[i].Start - cursor : double.PositiveInfinity;
            if (gap >= left)
            {
                _transmissions.Add(cursor, cursor + left);
                cursor += left;
                break;
            }
            _transmissions.Add(cursor, cursor + gap);
            left -= gap;
            cursor = _busy[i].End;
            i++;
        }

        // Every gap between start and cursor is now used: the busy time there becomes one interval.
        int lo = first;
        while (lo < _busy.Count && _busy[lo].End < start) lo++;
        int hi = lo;
        double mergedStart = start, mergedEnd = cursor;
        while (hi < _busy.Count && _busy[hi].Start <= cursor)
        {
            mergedStart = Math.Min(mergedStart, _busy[hi].Start);
            mergedEnd = Math.Max(mergedEnd, _busy[hi].End);
            hi++;
        }
        _busy.RemoveRange(lo, hi - lo);
        _busy.Insert(lo, (mergedStart, mergedEnd));
        if (_busy.Count > MaxIntervals)
        {
            _floor = _busy[0].End;
            _busy.RemoveAt(0);
        }
        return cursor;
    }

    /// <summary>Index of the first busy interval that ends after <paramref name="t"/> (intervals are sorted and disjoint).</summary>
    private int FirstEndingAfter(double t)
    {
        int lo = 0, hi = _busy.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_busy[mid].End <= t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
