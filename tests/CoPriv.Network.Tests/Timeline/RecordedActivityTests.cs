using System.Diagnostics;
using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Network.Timeline;

namespace CoPriv.Network.Tests.Timeline;

/// <summary>What a link direction and a party's clock keep for the timeline: where they book transmissions, compute and waits.</summary>
public class RecordedActivityTests
{
    [Fact]
    public void A_direction_records_every_piece_of_a_transmission_once_even_when_a_late_booking_fills_earlier_gaps()
    {
        var direction = new LinkDirection(new LinkModel("test", Bandwidth.FromBytesPerSecond(1e6), TimeSpan.FromMilliseconds(10)));
        direction.Transmit(0, 1000);
        direction.Transmit(0.005, 1000);
        // Sent (virtually) before the second message but booked after it: it takes the gap before it and continues after.
        double arrival = direction.Transmit(0.0005, 6000);

        var sent = direction.Transmissions();
        Assert.Equal(0.008 + 0.010, arrival, tolerance: 1e-12);
        Assert.Equal(0.008, sent.CoveredSeconds, tolerance: 1e-12);
        Assert.Equal(0, sent.Intervals[0].Start);
        Assert.Equal(0.008, sent.Intervals[^1].End, tolerance: 1e-12);
        Assert.Equal(0.008, sent.Intervals.Sum(i => i.Seconds), tolerance: 1e-12);
    }

    [Fact]
    public void Many_interleaved_bookings_stay_within_the_capacity_and_cover_exactly_bytes_over_bandwidth()
    {
        var link = new LinkModel("test", Bandwidth.FromBytesPerSecond(50e6), TimeSpan.FromMilliseconds(20));
        var direction = new LinkDirection(link);
        var random = new Random(9);
        double[] flowTime = [0, 0];
        long bytes = 0;
        for (int i = 0; i < 200_000; i++)
        {
            // Two flows take turns booking; each sends at its own time, so bookings come out of virtual-time order.
            int flow = random.Next(2);
            // 0.2 ms of transmission every millisecond on average: the link has gaps, many more than the union keeps.
            int size = random.Next(1, 20_000);
            flowTime[flow] += random.NextDouble() * 4e-3;
            direction.Transmit(flowTime[flow], size);
            bytes += size;
        }

        var sent = direction.Transmissions();
        Assert.InRange(sent.Intervals.Count, 1, IntervalUnion.DefaultCapacity);
        Assert.True(sent.ResolutionSeconds > 0, "so many bookings should have filled some gaps");
        Assert.Equal(bytes / 50e6, sent.CoveredSeconds, tolerance: 1e-9 * bytes / 50e6);
        Assert.True(sent.Intervals[^1].End <= direction.BusyUntil + 1e-9);
    }

    [Fact]
    public void A_clock_records_a_receive_s_wait_and_the_compute_between_operations_where_it_books_them()
    {
        var clock = new VirtualClock(ComputeTimer.Wall);
        ClockedOperation receive, send;
        using (clock.BeginFlow())
        {
            receive = clock.BeginOperation("s");
            clock.CompleteReceive(receive, receive.Seconds + 0.5);
            var spin = Stopwatch.StartNew();
            while (spin.Elapsed < TimeSpan.FromMilliseconds(2)) { }
            send = clock.BeginOperation("s");
            clock.CompleteSend(send);
        }

        var timing = clock.Snapshot();
        var activity = clock.Activity();
        Assert.Equal([new TimeInterval(receive.Seconds, receive.Seconds + 0.5)], activity.Waiting.Intervals);
        Assert.Equal(timing.WaitTime.TotalSeconds, activity.Waiting.CoveredSeconds, tolerance: 1e-7);
        // One flow: its compute fills all of its time but the wait (the compute before the receive, then between the
        // receive and the send, and after the send until the flow ended), and the union is all of its compute.
        double end = activity.Computing.Intervals[^1].End;
        Assert.Equal([(0, receive.Seconds), (receive.Seconds + 0.5, end)], activity.Computing.Intervals.Select(i => (i.Start, i.End)));
        Assert.Equal(timing.SimulatedTime.TotalSeconds, end, tolerance: 1e-7);
        Assert.True(end >= send.Seconds && send.Seconds - receive.Seconds >= 0.502);
        Assert.Equal(timing.ComputeTime.TotalSeconds, activity.Computing.CoveredSeconds, tolerance: 1e-7);
    }
}
