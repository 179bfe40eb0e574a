using CoPriv.Network.Simulation;

namespace CoPriv.Network.Tests.Simulation;

public class VirtualClockTests
{
    [Fact]
    public void Time_booked_outside_flows_moves_the_party_on_as_overhead_not_compute()
    {
        var clock = new VirtualClock(ComputeTimer.ThreadCpu);
        using (clock.BeginFlow()) { }
        var before = clock.Snapshot();

        clock.Elapse(TimeSpan.FromMilliseconds(250));
        clock.Elapse(TimeSpan.Zero);

        var after = clock.Snapshot();
        Assert.Equal(before.SimulatedTime + TimeSpan.FromMilliseconds(250), after.SimulatedTime);
        Assert.Equal(TimeSpan.FromMilliseconds(250), after.OverheadTime - before.OverheadTime);
        Assert.Equal(before.ComputeTime, after.ComputeTime);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Elapse(TimeSpan.FromMilliseconds(-1)));
    }
}
