namespace CoPriv.Network.Tests.Simulation;

/// <summary>The thread CPU clock the simulator uses, for tests that need to burn a known amount of compute.</summary>
internal static class ThreadCpuTimeProbe
{
    public static double Seconds() => CoPriv.Network.Simulation.ThreadCpuTime.Seconds();
}
