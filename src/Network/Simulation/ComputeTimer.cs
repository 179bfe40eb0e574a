namespace CoPriv.Network.Simulation;

/// <summary>How a <see cref="VirtualClock"/> measures a party's compute between two channel operations.</summary>
public enum ComputeTimer
{
    /// <summary>
    /// CPU time of the thread that runs the flow (the default). It does not grow while the thread is descheduled,
    /// so the peer party and other processes sharing the cores do not inflate it, and it does not grow while the
    /// thread blocks (on the peer, or joining a helper flow whose own time is merged separately). It does not see
    /// work a party hands to helper threads that never touch the channel (e.g. a Parallel.For inside a layer):
    /// for such parties use <see cref="Wall"/> on an otherwise idle machine.
    /// </summary>
    ThreadCpu,

    /// <summary>
    /// Elapsed real time, what a user of a dedicated machine sees. It includes time the thread spends descheduled
    /// or blocked outside the channel, so it overstates compute when the parties share cores.
    /// </summary>
    Wall,
}
